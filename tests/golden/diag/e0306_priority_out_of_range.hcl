# ARGS: validate %s
# EXIT: 1
# E0306: job priority must be 1 to 100.
job "web" {
  priority = 101
  group "web" {
    task "server" {
      driver = "exec"
    }
  }
}
