# ARGS: validate %s
# EXIT: 1
# E0423: an object key that is not a string.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      env {
        VALUE = jsonencode({ (["a"]) = 1 })
      }
    }
  }
}
