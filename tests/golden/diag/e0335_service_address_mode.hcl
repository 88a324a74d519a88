# ARGS: validate %s
# EXIT: 1
# E0335: `address` needs address_mode "auto".
job "web" {
  group "web" {
    network {
      port "http" {}
    }
    service {
      name = "web"
      port = "http"
      address      = "10.0.0.1"
      address_mode = "host"
    }
    task "server" {
      driver = "exec"
    }
  }
}
