# ARGS: parse .
# EXIT: 1
# E0001: a directory is not a file.
