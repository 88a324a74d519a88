# ARGS: validate %s
# EXIT: 1
# E0220: `cron` and `crons` are two spellings of one setting; only one may be used.
job "nightly" {
  type = "batch"
  periodic {
    cron  = "@daily"
    crons = ["@hourly"]
  }
  group "work" {
    task "run" {
      driver = "exec"
    }
  }
}
