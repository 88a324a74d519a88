# ARGS: lint %s
# EXIT: 0
# W0903: canary_tags in a group that deploys no canaries.
job "web" {
  group "web" {
    network {
      port "http" {}
    }
    service {
      name        = "web"
      port        = "http"
      canary_tags = ["canary"]
    }
    task "server" {
      driver = "exec"
    }
  }
}
