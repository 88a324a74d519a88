# ARGS: lint %s
# EXIT: 0
# W0307: a group whose every task has a lifecycle hook has no main task.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      lifecycle {
        hook = "prestart"
      }
    }
  }
}
