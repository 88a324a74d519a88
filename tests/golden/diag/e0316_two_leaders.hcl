# ARGS: validate %s
# EXIT: 1
# E0316: at most one leader task per group; notes point at each leader.
job "web" {
  group "web" {
    task "a" {
      driver = "exec"
      leader = true
    }
    task "b" {
      driver = "exec"
      leader = true
    }
  }
}
