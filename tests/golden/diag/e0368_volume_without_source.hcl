# ARGS: validate %s
# EXIT: 1
# E0368: a host volume needs a source.
job "web" {
  group "web" {
    volume "data" {
      type = "host"
    }
    task "server" {
      driver = "exec"
    }
  }
}
