# ARGS: validate %s
# EXIT: 1
# E0314: two tasks with one name in a group; the note points at the first.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
    }
    task "server" {
      driver = "exec"
    }
  }
}
