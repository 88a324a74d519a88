# ARGS: lint %s
# EXIT: 0
# W0306: a poststop sidecar keeps the allocation from becoming healthy.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
    }
    task "cleanup" {
      driver = "exec"
      lifecycle {
        hook    = "poststop"
        sidecar = true
      }
    }
  }
}
