# ARGS: validate %s
# EXIT: 1
# E0417: a list interpolated into a string.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      env {
        VALUE = "v-${["a", "b"]}"
      }
    }
  }
}
