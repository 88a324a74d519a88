# ARGS: parse -format=xml %s
# EXIT: 1
# An unknown -format value is a usage error.
a = 1
