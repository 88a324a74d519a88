# ARGS: validate %s
# EXIT: 1
# E0353: a task asks for cpu or cores, not both; the note points at cpu.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      resources {
        cpu   = 500
        cores = 2
      }
    }
  }
}
