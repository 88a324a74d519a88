# ARGS: parse %s
# EXIT: 0
# A file without errors: the hcl2json form on stdout, nothing on stderr.
job "web" {
  datacenters = ["dc1"]
  group "frontend" {
    count = 2
    task "nginx" {
      driver = "docker"
      config {
        image = "nginx:1.25"
      }
    }
  }
}
