# ARGS: validate %s
# EXIT: 1
# E0323: a port label of a task network that the group network already defines.
job "web" {
  group "web" {
    network {
      port "http" {}
    }
    task "server" {
      driver = "exec"
      resources {
        network {
          port "http" {}
        }
      }
    }
  }
}
