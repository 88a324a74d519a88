# ARGS: validate %s
# EXIT: 1
# E0302: Nomad rejects a job ID with a space; it points at the label.
job "my web" {
  group "web" {
    task "server" {
      driver = "exec"
    }
  }
}
