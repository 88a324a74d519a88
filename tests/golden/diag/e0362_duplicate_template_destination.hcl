# ARGS: validate %s
# EXIT: 1
# E0362: two templates render to one file; the note points at the first.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      template {
        data        = "a"
        destination = "local/app.conf"
      }
      template {
        data        = "b"
        destination = "local/app.conf"
      }
    }
  }
}
