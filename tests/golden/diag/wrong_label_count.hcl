# ARGS: validate %s
# EXIT: 1
# E0206: a block with the wrong number of labels (a group needs its name).
job "web" {
  group {
    task "server" {
      driver = "exec"
    }
  }
}
