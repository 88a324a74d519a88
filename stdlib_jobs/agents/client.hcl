# Dojo phase 4: the client agent (`drover agent -config stdlib_jobs/agents/client.hcl`). The dojo
# runs it on a second machine; here it is a second address of the same one: it binds and
# advertises 127.0.0.2, so it keeps the default ports and its tasks' ports are 127.0.0.2:<port>.
log_level = "DEBUG"
data_dir  = "/tmp/drover/client"
name      = "team1-client"
bind_addr = "127.0.0.2"

client {
  enabled = true
  servers = ["127.0.0.1:4647"]
}
