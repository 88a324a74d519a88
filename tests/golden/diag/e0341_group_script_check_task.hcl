# ARGS: validate %s
# EXIT: 1
# E0341: a script check in a group service must name its task.
job "web" {
  group "web" {
    service {
      name = "web"
      port = "http"
      check {
        type     = "script"
        command  = "/bin/true"
        interval = "10s"
        timeout  = "2s"
      }
    }
    task "server" {
      driver = "exec"
    }
  }
}
