# ARGS: validate %s
# EXIT: 1
# E0217: a task `scaling "cpu"` block whose type says memory.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      scaling "cpu" {
        type = "vertical_mem"
        max  = 2000
      }
    }
  }
}
