# ARGS: validate %s
# EXIT: 1
# E0429: an expression that asks for too much work stops with a located error.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      env {
        VALUE = length(flatten([for i in range(3000) : [for j in range(3000) : j]]))
      }
    }
  }
}
