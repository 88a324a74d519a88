# ARGS: parse -format=gcc %s
# EXIT: 1
# -format=gcc: one line per diagnostic and per note, the code at the end.
job "web" {
  count = 1
  count = 2
  group "g" {
    region = "a"
    region = "b"
  }
}
