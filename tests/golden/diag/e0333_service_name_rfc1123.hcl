# ARGS: validate %s
# EXIT: 1
# E0333: service names follow RFC 1123 (no underscores).
job "web" {
  group "web" {
    network {
      port "http" {}
    }
    service {
      name = "web_api"
      port = "http"
    }
    task "server" {
      driver = "exec"
    }
  }
}
