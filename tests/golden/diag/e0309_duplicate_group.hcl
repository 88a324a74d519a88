# ARGS: validate %s
# EXIT: 1
# E0309: two groups with one name; the note points at the first.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
    }
  }
  group "web" {
    task "server" {
      driver = "exec"
    }
  }
}
