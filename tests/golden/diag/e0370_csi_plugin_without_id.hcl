# ARGS: validate %s
# EXIT: 1
# E0370: a csi_plugin without an id.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      csi_plugin {
        type = "node"
      }
    }
  }
}
