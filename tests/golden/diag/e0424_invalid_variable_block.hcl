# ARGS: validate %s
# EXIT: 1
# E0424: an argument a `variable` block does not take.
variable "user" {
  defualt = "nobody"
}

job "web" {
  group "web" {
    task "server" {
      driver = "exec"
    }
  }
}
