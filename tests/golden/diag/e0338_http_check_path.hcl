# ARGS: validate %s
# EXIT: 1
# E0338: an http check path must be relative, not a URL.
job "web" {
  group "web" {
    network {
      port "http" {}
    }
    service {
      name = "web"
      port = "http"
      check {
        type     = "http"
        path     = "http://localhost/health"
        interval = "10s"
        timeout  = "2s"
      }
    }
    task "server" {
      driver = "exec"
    }
  }
}
