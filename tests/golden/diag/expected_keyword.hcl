# ARGS: parse %s
# EXIT: 1
# E0116: `in` and `if` are keywords in a for expression.
ports = [for p on var.ports : p.number]
names = [for n in var.names : n when n != ""]
