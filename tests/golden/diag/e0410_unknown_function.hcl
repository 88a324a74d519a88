# ARGS: validate %s
# EXIT: 1
# E0410: a call to a function that does not exist; help suggests the closest.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      env {
        VALUE = uper("x")
      }
    }
  }
}
