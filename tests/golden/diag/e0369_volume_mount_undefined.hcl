# ARGS: validate %s
# EXIT: 1
# E0369: a task mounts a volume the group does not define.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      volume_mount {
        volume      = "data"
        destination = "/data"
      }
    }
  }
}
