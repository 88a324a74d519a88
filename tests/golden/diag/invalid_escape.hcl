# ARGS: parse %s
# EXIT: 1
# E0106: escapes HCL does not know, a short \u and a surrogate.
meta {
  path = "C:\Program Files"
  short = "\u12"
  surrogate = "\uD800"
}
