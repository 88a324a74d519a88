# ARGS: validate %s
# EXIT: 1
# E0347: a version constraint that does not parse.
job "web" {
  constraint {
    attribute = "${attr.kernel.version}"
    operator  = "version"
    value     = ">= one"
  }
  group "web" {
    task "server" {
      driver = "exec"
    }
  }
}
