# ARGS: validate %s
# EXIT: 1
# E0355: memory_max below memory.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      resources {
        memory     = 512
        memory_max = 256
      }
    }
  }
}
