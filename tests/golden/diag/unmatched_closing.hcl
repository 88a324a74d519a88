# ARGS: parse %s
# EXIT: 1
# E0118: closers without an opener; the error after it is still reported.
job "web" {
  count = 1)
}
}
region =
