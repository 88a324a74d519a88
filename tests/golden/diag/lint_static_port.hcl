# ARGS: lint %s
# EXIT: 0
# W0901: a static port in a group with count > 1.
job "web" {
  group "web" {
    count = 2
    network {
      port "http" {
        static = 8080
      }
    }
    task "server" {
      driver = "exec"
    }
  }
}
