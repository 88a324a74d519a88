# ARGS: lint -hcl2-strict=false -var usr=nobody %s
# EXIT: 0
# W0401: with -hcl2-strict=false a -var for an undeclared variable is only a warning (lint prints it with its code).
variable "user" {
  default = "root"
}

job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      user = var.user
    }
  }
}
