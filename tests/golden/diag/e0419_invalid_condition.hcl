# ARGS: validate %s
# EXIT: 1
# E0419: a condition that is not a bool.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      env {
        VALUE = "yes" ? "a" : "b"
      }
    }
  }
}
