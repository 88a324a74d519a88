# ARGS: validate %s
# EXIT: 1
# E0339: a script check needs a command.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      service {
        name = "web"
        check {
          type     = "script"
          interval = "10s"
          timeout  = "2s"
        }
      }
    }
  }
}
