# ARGS: validate %s
# EXIT: 1
# E0363: a task cannot ask Vault for the root policy.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      vault {
        policies = ["root"]
      }
    }
  }
}
