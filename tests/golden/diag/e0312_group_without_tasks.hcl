# ARGS: validate %s
# EXIT: 1
# E0312: a group with no task (and no Connect gateway).
job "web" {
  group "web" {
    count = 1
  }
}
