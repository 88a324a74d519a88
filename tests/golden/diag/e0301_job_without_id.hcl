# ARGS: validate %s
# EXIT: 1
# E0301: a job whose label is empty has no ID.
job "" {
  group "web" {
    task "server" {
      driver = "exec"
    }
  }
}
