# Dojo phase 4: the server agent (`drover agent -config stdlib_jobs/agents/server.hcl`).

# Increase log verbosity
log_level = "DEBUG"

# Setup data dir
data_dir = "/tmp/drover/server"

# Enable the server
server {
  enabled          = true
  bootstrap_expect = 1
}

advertise {
  http = "0.0.0.0"
}
