# ARGS: validate %s
# EXIT: 1
# E0357: log files must fit in the ephemeral disk; the note points at its size.
job "web" {
  group "web" {
    ephemeral_disk {
      size = 100
    }
    task "server" {
      driver = "exec"
      logs {
        max_files     = 10
        max_file_size = 20
      }
    }
  }
}
