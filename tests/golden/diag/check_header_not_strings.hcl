# ARGS: validate %s
# EXIT: 1
# E0203: check `header` values are lists of strings; a number in the list is an error.
job "web" {
  group "web" {
    network {
      port "http" {}
    }
    service {
      port = "http"
      check {
        type     = "http"
        path     = "/"
        interval = "10s"
        timeout  = "2s"
        header {
          Authorization = ["ok", 840]
        }
      }
    }
    task "server" {
      driver = "exec"
    }
  }
}
