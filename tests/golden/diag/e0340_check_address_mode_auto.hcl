# ARGS: validate %s
# EXIT: 1
# E0340: address_mode "auto" is for services, not checks.
job "web" {
  group "web" {
    network {
      port "http" {}
    }
    service {
      name = "web"
      port = "http"
      check {
        type         = "tcp"
        address_mode = "auto"
        interval     = "10s"
        timeout      = "2s"
      }
    }
    task "server" {
      driver = "exec"
    }
  }
}
