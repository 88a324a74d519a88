# ARGS: validate %s
# EXIT: 1
# E0205: a second singleton block; the note points at the first.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      resources {
        cpu = 100
      }
      resources {
        cpu = 200
      }
    }
  }
}
