# ARGS: validate %s
# EXIT: 0
# Several warnings: Nomad's `Job Warnings:` header and count, one `* ` line each (in source
# order, with their location), a blank line, then the success line; all on stdout, exit 0.
job "web" {
  group "web" {
    count = 2
    update {
      max_parallel = 3
    }
    network {
      mbits = 10
      port "http" {}
    }
    task "server" {
      driver = "exec"
      resources {
        iops = 100
      }
    }
  }
}
