# ARGS: validate %s
# EXIT: 1
# E0415: an attribute the object does not have.
locals {
  cfg = { user = "nobody" }
}

job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      user = local.cfg.usr
    }
  }
}
