# Dojo phase 7: dynamic ports. Five containers, each published on its own port from the dynamic
# range (20000-32000).
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

    task "frontend" {
      driver = "docker"

      config {
        image = "thedojoseries/frontend"
        ports = ["http"]
      }
    }
  }
}
