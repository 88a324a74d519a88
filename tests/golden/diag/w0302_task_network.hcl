# ARGS: lint %s
# EXIT: 0
# W0302: a network block in task resources is deprecated.
job "web" {
  group "web" {
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
