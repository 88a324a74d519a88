# ARGS: validate %s
# EXIT: 1
# E0418: a `for` over a number.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      env {
        VALUE = join(",", [for x in 5 : x])
      }
    }
  }
}
