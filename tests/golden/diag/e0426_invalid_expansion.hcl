# ARGS: validate %s
# EXIT: 1
# E0426: `...` expands a list, not a string.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      env {
        VALUE = max("1"...)
      }
    }
  }
}
