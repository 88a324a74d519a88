# ARGS: lint %s
# EXIT: 0
# W0304: iops is deprecated.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      resources {
        iops = 100
      }
    }
  }
}
