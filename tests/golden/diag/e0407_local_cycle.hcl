# ARGS: validate %s
# EXIT: 1
# E0407: local values that depend on each other.
locals {
  a = local.b
  b = local.a
}

job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      user = local.a
    }
  }
}
