# ARGS: validate %s
# EXIT: 1
# E0317: `periodic` only in batch and sysbatch jobs.
job "web" {
  periodic {
    crons = ["@daily"]
  }
  group "web" {
    task "server" {
      driver = "exec"
    }
  }
}
