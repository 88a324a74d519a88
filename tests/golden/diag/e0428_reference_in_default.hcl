# ARGS: validate %s
# EXIT: 1
# E0428: a variable's default cannot refer to anything.
locals {
  user = "nobody"
}

variable "user" {
  default = local.user
}

job "web" {
  group "web" {
    task "server" {
      driver = "exec"
    }
  }
}
