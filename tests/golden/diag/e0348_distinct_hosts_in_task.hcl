# ARGS: validate %s
# EXIT: 1
# E0348: distinct_hosts is a job or group constraint.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      constraint {
        operator = "distinct_hosts"
        value    = "true"
      }
    }
  }
}
