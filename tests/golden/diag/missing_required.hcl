# ARGS: validate %s
# EXIT: 1
# E0210: a required attribute is missing (group scaling needs `max`).
job "web" {
  group "web" {
    scaling {
      min = 1
    }
    task "server" {
      driver = "exec"
    }
  }
}
