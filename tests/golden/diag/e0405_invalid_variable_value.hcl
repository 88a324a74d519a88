# ARGS: validate -var count=three %s
# EXIT: 1
# E0405: a -var value that does not convert to the variable's type.
variable "count" {
  type = number
  default = 1
}

job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      meta {
        count = var.count
      }
    }
  }
}
