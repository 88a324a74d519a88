# ARGS: validate %s
# EXIT: 1
# E0303: a job name holding a NUL character (written as an escape).
job "web" {
  name = "web\u0000app"
  group "web" {
    task "server" {
      driver = "exec"
    }
  }
}
