# ARGS: validate %s
# EXIT: 1
# E0329: update min_healthy_time must be below healthy_deadline.
job "web" {
  group "web" {
    update {
      min_healthy_time = "10m"
      healthy_deadline = "5m"
    }
    task "server" {
      driver = "exec"
    }
  }
}
