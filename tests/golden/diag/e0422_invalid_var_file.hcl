# ARGS: validate -var-file data/block.vars.hcl %s
# EXIT: 1
# E0422: a var file holds `name = value` lines, not blocks.
variable "user" {
  default = "nobody"
}

job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      user = var.user
    }
  }
}
