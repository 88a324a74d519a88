# ARGS: validate -json data/wrong_type.json
# EXIT: 1
# E0219: a `-json` job whose fields have the wrong JSON types; the message names the path.
