# ARGS: validate %s
# EXIT: 1
# E0350: distinct_hosts is not an affinity operator.
job "web" {
  affinity {
    attribute = "${node.class}"
    operator  = "distinct_hosts"
    value     = "true"
    weight    = 50
  }
  group "web" {
    task "server" {
      driver = "exec"
    }
  }
}
