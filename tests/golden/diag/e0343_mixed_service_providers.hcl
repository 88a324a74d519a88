# ARGS: validate %s
# EXIT: 1
# E0343: one provider per group; the note points at the consul service.
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
      name = "api"
      port = "http"
      provider = "nomad"
    }
    task "server" {
      driver = "exec"
    }
  }
}
