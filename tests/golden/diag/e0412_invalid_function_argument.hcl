# ARGS: validate %s
# EXIT: 1
# E0412: an argument of the wrong type.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      env {
        VALUE = upper(["a"])
      }
    }
  }
}
