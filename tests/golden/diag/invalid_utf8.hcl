# ARGS: parse %s
# EXIT: 1
# E0108: bytes that are not UTF-8, in a string and in a comment.
name = "café"
# résumé
