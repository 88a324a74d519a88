# ARGS: validate %s
# EXIT: 1
# E0308: a group whose label is empty.
job "web" {
  group "" {
    task "server" {
      driver = "exec"
    }
  }
}
