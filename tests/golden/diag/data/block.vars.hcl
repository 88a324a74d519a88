variable "user" {
  default = "x"
}
