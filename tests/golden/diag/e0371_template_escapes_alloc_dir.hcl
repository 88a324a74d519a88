# ARGS: validate %s
# EXIT: 1
# E0371: a template destination outside the allocation directory.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      template {
        data        = "x"
        destination = "../../etc/passwd"
      }
    }
  }
}
