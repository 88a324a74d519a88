# ARGS: validate %s
# EXIT: 1
# E0420: the two results of a conditional have no common type.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      env {
        VALUE = true ? "a" : ["b"]
      }
    }
  }
}
