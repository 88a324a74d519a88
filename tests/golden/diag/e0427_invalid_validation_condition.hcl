# ARGS: validate %s
# EXIT: 1
# E0427: a validation condition that is not a bool.
variable "user" {
  default = "nobody"
  validation {
    condition     = var.user
    error_message = "The user must be set."
  }
}

job "web" {
  group "web" {
    task "server" {
      driver = "exec"
    }
  }
}
