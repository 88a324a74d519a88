# ARGS: validate %s
# EXIT: 1
# E0414: arithmetic on a string that is not a number.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      env {
        VALUE = 1 + "one"
      }
    }
  }
}
