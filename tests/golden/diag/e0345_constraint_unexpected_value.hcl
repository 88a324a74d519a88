# ARGS: validate %s
# EXIT: 1
# E0345: is_set takes no value.
job "web" {
  constraint {
    attribute = "${meta.rack}"
    operator  = "is_set"
    value     = "yes"
  }
  group "web" {
    task "server" {
      driver = "exec"
    }
  }
}
