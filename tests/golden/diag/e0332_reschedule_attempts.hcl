# ARGS: validate %s
# EXIT: 1
# E0332: reschedule attempts that cannot fit in the interval; help gives the interval that would.
job "web" {
  group "web" {
    reschedule {
      attempts       = 10
      interval       = "1m"
      delay          = "30s"
      delay_function = "constant"
      unlimited      = false
    }
    task "server" {
      driver = "exec"
    }
  }
}
