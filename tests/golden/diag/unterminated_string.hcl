# ARGS: parse %s
# EXIT: 1
# E0102: a quoted string must end on its line.
job "web" {
  region = "global
}
