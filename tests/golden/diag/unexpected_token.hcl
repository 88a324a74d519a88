# ARGS: parse %s
# EXIT: 1
# E0101: a token the grammar does not allow here; recovery goes on to the next line.
job "web" {
  count = 
  datacenters = ["dc1" "dc2"]
  group "g" {
    task "t" { driver = "docker" }
  }
}
