# ARGS: validate %s
# EXIT: 1
# E0409: a type expression that names no type.
variable "user" {
  type    = strng
  default = "nobody"
}

job "web" {
  group "web" {
    task "server" {
      driver = "exec"
    }
  }
}
