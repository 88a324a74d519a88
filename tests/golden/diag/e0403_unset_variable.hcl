# ARGS: validate %s
# EXIT: 1
# E0403: a variable without a default that no -var, -var-file or NOMAD_VAR_ sets.
variable "user" {
  type = string
}

job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      user = var.user
    }
  }
}
