# ARGS: parse -
# EXIT: 1
# STDIN-BYTES: 1048577
# E0002: standard input is one byte over the 1 MiB limit.
