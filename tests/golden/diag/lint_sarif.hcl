# ARGS: lint -format sarif %s
# EXIT: 1
# SARIF 2.1.0 output of lint: a warning, and an error with a fix.
job "web" {
  group "web" {
    task "server" {
      driver = "docker"
      config {
        image = "nginx"
      }
      kill_timout = "10s"
    }
  }
}
