# ARGS: validate %s
# EXIT: 1
# E0211: a block written as an attribute.
job "web" {
  group "web" {
    task "server" {
      driver    = "exec"
      resources = { cpu = 100 }
    }
  }
}
