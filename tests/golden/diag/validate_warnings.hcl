# ARGS: job validate %s
# EXIT: 0
# Warnings in Nomad's layout (`Job Warnings:` / `N warning(s):` / `* ...`), then success.
job "web" {
  group "web" {
    count = 2
    update {
      max_parallel = 3
    }
    task "server" {
      driver = "exec"
    }
  }
}
