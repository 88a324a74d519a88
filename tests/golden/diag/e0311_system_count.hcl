# ARGS: validate %s
# EXIT: 1
# E0311: a system job runs one allocation per node.
job "web" {
  type = "system"
  group "web" {
    count = 3
    task "server" {
      driver = "exec"
    }
  }
}
