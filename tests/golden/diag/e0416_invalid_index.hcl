# ARGS: validate %s
# EXIT: 1
# E0416: an index past the end of a list.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      env {
        VALUE = ["a", "b"][5]
      }
    }
  }
}
