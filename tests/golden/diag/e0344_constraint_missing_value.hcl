# ARGS: validate %s
# EXIT: 1
# E0344: an operator that compares needs a value.
job "web" {
  constraint {
    attribute = "${attr.kernel.name}"
    operator  = "="
  }
  group "web" {
    task "server" {
      driver = "exec"
    }
  }
}
