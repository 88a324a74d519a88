# ARGS: validate %s
# EXIT: 1
# E0342: a group check names a task the group does not have.
job "web" {
  group "web" {
    service {
      name = "web"
      port = "http"
      check {
        type     = "script"
        task     = "sever"
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
