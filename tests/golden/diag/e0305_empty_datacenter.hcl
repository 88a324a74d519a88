# ARGS: validate %s
# EXIT: 1
# E0305: an empty string among the datacenters.
job "web" {
  datacenters = ["dc1", ""]
  group "web" {
    task "server" {
      driver = "exec"
    }
  }
}
