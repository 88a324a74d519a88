# ARGS: validate %s
# EXIT: 1
# E0408: a variable declared twice.
variable "user" {
  default = "a"
}

variable "user" {
  default = "b"
}

job "web" {
  group "web" {
    task "server" {
      driver = "exec"
    }
  }
}
