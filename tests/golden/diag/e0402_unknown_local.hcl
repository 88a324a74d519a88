# ARGS: validate %s
# EXIT: 1
# E0402: a reference to a local value that is not defined.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      user = local.user
    }
  }
}
