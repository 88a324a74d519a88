# ARGS: validate %s
# EXIT: 1
# E0371: a dispatch_payload file outside the allocation directory.
job "web" {
  type = "batch"
  parameterized {}
  group "web" {
    task "server" {
      driver = "exec"
      dispatch_payload {
        file = "../../../secret"
      }
    }
  }
}
