# ARGS: validate %s
# EXIT: 1
# E0320: scaling max below min.
job "web" {
  group "web" {
    count = 3
    scaling {
      min = 3
      max = 2
    }
    task "server" {
      driver = "exec"
    }
  }
}
