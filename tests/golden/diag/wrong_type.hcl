# ARGS: validate %s
# EXIT: 1
# E0203: a value of the wrong type; inside a list the element is pointed at.
job "web" {
  datacenters = ["dc1", ["dc2"]]
  group "web" {
    count = "three"
    task "server" {
      driver = "exec"
    }
  }
}
