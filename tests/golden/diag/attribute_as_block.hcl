# ARGS: validate %s
# EXIT: 1
# E0212: an attribute written as a block.
job "web" {
  group "web" {
    task "server" {
      driver {
        name = "exec"
      }
    }
  }
}
