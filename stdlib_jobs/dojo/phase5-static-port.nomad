# Dojo phase 5: a static host port. The container's port 8080 is published on the node's
# address as 8080 (`docker ps` shows <ip>:8080->8080/tcp).
job "frontend" {
  datacenters = ["dc1"]
  type        = "service"

  group "frontend" {
    count = 1

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
