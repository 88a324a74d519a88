job "frontend" {
  datacenters = ["dc1"]
  type = "service"

  group "frontend" {
    count = 5

    network {
      port "http" {}
    }

    task "frontend" {
      driver = "docker"

      config {
        image = "thedojoseries/frontend"
      }

      env {
        PORT = "${NOMAD_PORT_http}"
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
    }
  }
}
