# ARGS: parse does-not-exist.hcl
# EXIT: 1
# E0001: the file named on the command line does not exist.
