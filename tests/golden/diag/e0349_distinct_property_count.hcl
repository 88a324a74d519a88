# ARGS: validate %s
# EXIT: 1
# E0349: the distinct_property count must be 1 or more.
job "web" {
  constraint {
    operator  = "distinct_property"
    attribute = "${meta.rack}"
    value     = "0"
  }
  group "web" {
    task "server" {
      driver = "exec"
    }
  }
}
