# ARGS: parse %s
# EXIT: 1
# E0110: a block that is never closed.
job "web" {
  group "g" {
    count = 1
  }
