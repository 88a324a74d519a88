# ARGS: validate %s
# EXIT: 1
# E0213: port labels are unique within a network, ignoring case; the note points at the first.
job "web" {
  group "web" {
    network {
      port "http" {}
      port "HTTP" {}
    }
    task "server" {
      driver = "exec"
    }
  }
}
