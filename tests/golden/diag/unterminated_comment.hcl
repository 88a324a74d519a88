# ARGS: parse %s
# EXIT: 1
# E0105: a block comment without its end.
job "web" {
  /* count = 3
  count = 2
}
