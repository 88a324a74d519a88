# Dojo phase 3: the first job. One front-end container, no ports published yet.
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
    }
  }
}
