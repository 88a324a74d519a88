# ARGS: validate %s
# EXIT: 1
# E0215: `env` written both as an attribute and as a block.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      env = {
        A = "1"
      }
      env {
        B = "2"
      }
    }
  }
}
