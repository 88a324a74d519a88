# The dojo's front end as of phase 10: five copies on dynamic ports, each told its port through
# PORT, so the app inside the container listens on the port that is published. The service block
# (phase 9) carries the tags the proxy routes by.
job "frontend" {
  datacenters = ["dc1"]
  type        = "service"

  group "frontend" {
    scaling {
      enabled = true
      min     = 5
      max     = 10
      policy {}
    }

    network {
      port "http" {}
    }

    service {
      name = "frontend"
      port = "http"
      tags = ["frontend", "urlprefix-/"]

      check {
        type     = "http"
        path     = "/"
        interval = "5s"
        timeout  = "2s"
      }
    }

    task "frontend" {
      driver = "docker"

      config {
        image = "thedojoseries/frontend"
        ports = ["http"]
      }

      env {
        PORT = "${NOMAD_PORT_http}"
      }
    }
  }
}
