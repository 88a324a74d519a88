# ARGS: lint %s
# EXIT: 0
# W0902: Fabio routes (`urlprefix-` tags) without a health check never get traffic.
job "web" {
  group "web" {
    network {
      port "http" {}
    }
    service {
      name = "web"
      port = "http"
      tags = ["urlprefix-/web"]
    }
    task "server" {
      driver = "exec"
    }
  }
}
