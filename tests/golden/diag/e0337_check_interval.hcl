# ARGS: validate %s
# EXIT: 1
# E0337: check interval below 1s.
job "web" {
  group "web" {
    network {
      port "http" {}
    }
    service {
      name = "web"
      port = "http"
      check {
        type     = "tcp"
        interval = "500ms"
        timeout  = "2s"
      }
    }
    task "server" {
      driver = "exec"
    }
  }
}
