# ARGS: validate %s
# EXIT: 1
# E0356: a device name has at most three parts.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      resources {
        device "nvidia/gpu/1080ti/extra" {}
      }
    }
  }
}
