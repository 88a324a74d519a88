# ARGS: validate %s
# EXIT: 1
# E0307: a job with no group at all.
job "web" {
  datacenters = ["dc1"]
}
