# ARGS: validate %s
# EXIT: 1
# E0331: a restart interval below 5s.
job "web" {
  group "web" {
    restart {
      attempts = 1
      delay    = "1s"
      interval = "2s"
    }
    task "server" {
      driver = "exec"
    }
  }
}
