# ARGS: validate %s
# EXIT: 1
# E0208: a duration Go's time.ParseDuration would reject.
job "web" {
  group "web" {
    task "server" {
      driver       = "exec"
      kill_timeout = "5x"
    }
  }
}
