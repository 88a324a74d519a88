# ARGS: validate %s
# EXIT: 1
# E0351: an affinity weight of 0 has no effect.
job "web" {
  affinity {
    attribute = "${node.class}"
    value     = "gpu"
    weight    = 0
  }
  group "web" {
    task "server" {
      driver = "exec"
    }
  }
}
