# ARGS: validate %s
# EXIT: 0
# A valid job: `Job validation successful` on stdout, nothing on stderr.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      config {
        command = "/bin/true"
      }
    }
  }
}
