# ARGS: validate -var usr=nobody %s
# EXIT: 1
# E0404: a -var for a variable the file does not declare (strict by default).
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
