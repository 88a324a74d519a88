# ARGS: validate %s
# EXIT: 1
# E0413: a function that fails on its arguments.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      env {
        VALUE = coalesce("", null)
      }
    }
  }
}
