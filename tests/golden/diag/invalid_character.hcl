# ARGS: parse %s
# EXIT: 1
# E0107: characters that cannot start a token (a control character is named by code point).
count = 3 @ 2
name = 
