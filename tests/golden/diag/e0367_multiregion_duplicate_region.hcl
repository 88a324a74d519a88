# ARGS: validate %s
# EXIT: 1
# E0367: a region listed twice.
job "web" {
  multiregion {
    region "east" {}
    region "east" {}
  }
  group "web" {
    task "server" {
      driver = "exec"
    }
  }
}
