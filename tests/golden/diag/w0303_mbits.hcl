# ARGS: lint %s
# EXIT: 0
# W0303: mbits is deprecated.
job "web" {
  group "web" {
    network {
      mbits = 100
      port "http" {}
    }
    task "server" {
      driver = "exec"
    }
  }
}
