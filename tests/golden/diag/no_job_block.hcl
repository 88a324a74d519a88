# ARGS: validate %s
# EXIT: 1
# E0209: a file without a `job` block (here only variables).
variable "image" {
  default = "nginx:1.25"
}
