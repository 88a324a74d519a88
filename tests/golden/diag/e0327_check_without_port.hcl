# ARGS: validate %s
# EXIT: 1
# E0327: an http check needs a port from itself or its service.
job "web" {
  group "web" {
    service {
      name = "web"
      check {
        type     = "http"
        path     = "/health"
        interval = "10s"
        timeout  = "2s"
      }
    }
    task "server" {
      driver = "exec"
    }
  }
}
