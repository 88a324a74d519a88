# ARGS: lint %s
# EXIT: 0
# W0905: a memory request that most programs cannot run in.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      resources {
        memory = 12
      }
    }
  }
}
