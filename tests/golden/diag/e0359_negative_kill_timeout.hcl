# ARGS: validate %s
# EXIT: 1
# E0359: a negative duration.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      kill_timeout = "-5s"
    }
  }
}
