# ARGS: validate %s
# EXIT: 1
# E0214: a task `scaling` block is named "cpu" or "mem".
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      scaling "disk" {
        max = 10
      }
    }
  }
}
