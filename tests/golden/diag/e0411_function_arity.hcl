# ARGS: validate %s
# EXIT: 1
# E0411: a call with the wrong number of arguments.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      env {
        VALUE = upper("a", "b")
      }
    }
  }
}
