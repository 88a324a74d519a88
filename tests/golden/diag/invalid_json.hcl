# ARGS: validate -json data/invalid.json
# EXIT: 1
# E0218: a `-json` job that is not valid JSON is reported where the parser stopped.
