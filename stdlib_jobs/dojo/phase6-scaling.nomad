# Dojo phase 6: five copies with a static port cannot fit on one node; `drover job plan` reports
# the reserved port collision for the four that do not fit.
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

    task "frontend" {
      driver = "docker"

      config {
        image = "thedojoseries/frontend"
      }

      resources {
        network {
          port "http" {
            static = 8080
          }
        }
      }
    }
  }
}
