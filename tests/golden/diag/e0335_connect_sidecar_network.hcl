# ARGS: validate %s
# EXIT: 1
# E0335: a Connect sidecar needs the group network in bridge mode (Nomad's Connect hook).
job "web" {
  group "web" {
    network {
      mode = "host"
    }
    service {
      name = "api"
      port = "9001"
      connect {
        sidecar_service {}
      }
    }
    task "server" {
      driver = "exec"
    }
  }
}
