# ARGS: parse -
# EXIT: 1
# STDIN-BYTES: 67108865
# E0002: standard input is one byte over the 64 MiB limit.
