# ARGS: validate %s
# EXIT: 1
# E0216: a whole number outside what the field can hold (a port is 0 to 65535).
job "web" {
  group "web" {
    network {
      port "http" {
        static = 80800
      }
    }
    task "server" {
      driver = "exec"
    }
  }
}
