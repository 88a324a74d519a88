# ARGS: validate %s
# EXIT: 1
# E0401: a reference to a variable the file does not declare; help suggests the closest.
variable "user" {
  default = "nobody"
}

job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      user = var.usr
    }
  }
}
