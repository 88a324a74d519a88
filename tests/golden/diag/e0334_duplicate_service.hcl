# ARGS: validate %s
# EXIT: 1
# E0334: two group services with one name and port; the note points at the first.
job "web" {
  group "web" {
    network {
      port "http" {}
    }
    service {
      name = "web"
      port = "http"
    }
    service {
      name = "web"
      port = "http"
    }
    task "server" {
      driver = "exec"
    }
  }
}
