# ARGS: validate %s
# EXIT: 1
# E0202: a block type the body does not take, with a suggestion.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      resource {
        cpu = 100
      }
    }
  }
}
