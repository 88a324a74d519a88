# ARGS: validate %s
# EXIT: 1
# E0326: a task service's port must name a port of the group or task network; help suggests the closest label.
job "web" {
  group "web" {
    network {
      port "http" {}
    }
    task "server" {
      driver = "exec"
      service {
        name = "web"
        port = "htp"
      }
    }
  }
}
