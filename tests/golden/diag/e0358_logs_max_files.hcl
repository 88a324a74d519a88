# ARGS: validate %s
# EXIT: 1
# E0358: at least one log file.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      logs {
        max_files = 0
      }
    }
  }
}
