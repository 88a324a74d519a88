# ARGS: validate %s
# EXIT: 1
# E0207: a value outside an enumeration lists the valid ones and suggests the closest.
job "web" {
  type = "servce"
  group "web" {
    task "server" {
      driver = "exec"
    }
  }
}
