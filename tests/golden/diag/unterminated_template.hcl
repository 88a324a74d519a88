# ARGS: parse %s
# EXIT: 1
# E0104: the file ends inside an interpolation (a `}` on a later line would have closed it).
job "web" {
  name = "web-${var.env
