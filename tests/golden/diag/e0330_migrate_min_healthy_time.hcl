# ARGS: validate %s
# EXIT: 1
# E0330: migrate min_healthy_time above healthy_deadline.
job "web" {
  group "web" {
    migrate {
      min_healthy_time = "10m"
      healthy_deadline = "5m"
    }
    task "server" {
      driver = "exec"
    }
  }
}
