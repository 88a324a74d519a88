# ARGS: validate %s
# EXIT: 1
# E0321: the group count outside the scaling bounds; the note points at the bound.
job "web" {
  group "web" {
    count = 5
    scaling {
      min = 1
      max = 3
    }
    task "server" {
      driver = "exec"
    }
  }
}
