# ARGS: lint %s
# EXIT: 0
# W0305: a template's vault_grace is deprecated.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      template {
        data        = "x"
        destination = "local/x"
        vault_grace = "15s"
      }
    }
  }
}
