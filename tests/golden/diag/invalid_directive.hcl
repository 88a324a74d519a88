# ARGS: parse %s
# EXIT: 1
# E0115: %{ ... } takes if, else, endif, for or endfor.
template {
  data = "%{ while true }x%{ endwhile }"
}
