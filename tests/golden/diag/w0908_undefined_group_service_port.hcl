# ARGS: lint %s
# EXIT: 0
# W0908: a group service whose port names no port; Nomad accepts it, the service then fails to register.
job "web" {
  group "web" {
    network {
      port "http" {}
    }
    service {
      name = "web"
      port = "htp"
    }
    task "server" {
      driver = "exec"
    }
  }
}
