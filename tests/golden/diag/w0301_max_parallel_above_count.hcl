# ARGS: lint %s
# EXIT: 0
# W0301: Nomad's warning when update max_parallel exceeds the count; the note points at the count.
job "web" {
  group "web" {
    count = 2
    update {
      max_parallel = 3
    }
    task "server" {
      driver = "exec"
    }
  }
}
