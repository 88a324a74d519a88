# ARGS: validate %s
# EXIT: 1
# E0406: a variable's validation condition is false; the message is the block's error_message.
variable "port" {
  type    = number
  default = 0
  validation {
    condition     = var.port > 0
    error_message = "The port must be positive."
  }
}

job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      meta {
        port = var.port
      }
    }
  }
}
