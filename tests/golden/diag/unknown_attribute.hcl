# ARGS: validate %s
# EXIT: 1
# E0201: an attribute the block does not take; "did you mean" when it is a typo.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      config {
        command = "/bin/true"
      }
      kill_timout = "10s"
    }
  }
}
