# ARGS: validate %s
# EXIT: 1
# E0365: a cron spec that does not parse.
job "web" {
  type = "batch"
  periodic {
    crons = ["*/5 * * *"]
  }
  group "web" {
    task "server" {
      driver = "exec"
    }
  }
}
