# ARGS: parse %s
# EXIT: 1
# E0111: an attribute defined twice in one body; the note points at the first.
job "web" {
  count = 1
  region = "global"
  count = 2
}
