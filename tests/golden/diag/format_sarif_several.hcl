# ARGS: parse -format=sarif %s %s
# EXIT: 1
# -format=sarif with several files: one log for all of them, after the last file.
job "web" {
  name = "café @
}
