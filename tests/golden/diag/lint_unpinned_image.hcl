# ARGS: lint %s
# EXIT: 0
# W0904: a docker image without a tag, and one with `latest`.
job "web" {
  group "web" {
    task "server" {
      driver = "docker"
      config {
        image = "nginx"
      }
    }
    task "sidecar" {
      driver = "docker"
      config {
        image = "envoyproxy/envoy:latest"
      }
    }
  }
}
