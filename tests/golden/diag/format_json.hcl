# ARGS: parse -format=json %s
# EXIT: 1
# -format=json: one array of diagnostic objects (help, notes, ranges).
task "t" {
  env {
    "A.B" = "c"
  }
  user = 
}
