# ARGS: validate %s
# EXIT: 1
# E0324: one static port reserved twice; the note points at the first.
job "web" {
  group "web" {
    network {
      port "http" {
        static = 8080
      }
      port "admin" {
        static = 8080
      }
    }
    task "server" {
      driver = "exec"
    }
  }
}
