# ARGS: validate %s
# EXIT: 1
# E0328: in a task service, a check port given as a number needs address_mode = "driver".
job "web" {
  group "web" {
    network {
      port "http" {}
    }
    task "server" {
      driver = "exec"
      service {
        name = "web"
        port = "http"
        check {
          type     = "tcp"
          port     = "8080"
          interval = "10s"
          timeout  = "2s"
        }
      }
    }
  }
}
