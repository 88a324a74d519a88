# ARGS: validate %s
# EXIT: 1
# E0361: a template needs `source` or `data`.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      template {
        destination = "local/app.conf"
      }
    }
  }
}
