# ARGS: validate %s
# EXIT: 1
# E0313: task names cannot hold slashes.
job "web" {
  group "web" {
    task "web/server" {
      driver = "exec"
    }
  }
}
