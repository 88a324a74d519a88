# ARGS: validate %s
# EXIT: 1
# E0201: a job file holds only `job`, `variable(s)` and `locals`; a stray attribute is reported.
region = "eu"

job "web" {
  group "web" {
    task "server" {
      driver = "exec"
    }
  }
}
