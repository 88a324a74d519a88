# ARGS: parse %s
# EXIT: 1
# E0114: a block opened with an attribute on its line must close on that line.
group "g" { count = 1
}
