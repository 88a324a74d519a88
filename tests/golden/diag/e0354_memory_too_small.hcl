# ARGS: validate %s
# EXIT: 1
# E0354: memory below Nomad's 10 MB minimum.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      resources {
        memory = 5
      }
    }
  }
}
