# ARGS: lint %s
# EXIT: 0
# W0907: runtime references Nomad does not know, with suggestions.
job "web" {
  group "web" {
    network {
      port "http" {}
    }
    task "server" {
      driver = "exec"
      config {
        command = "/bin/server"
        args    = ["--port", "${NOMAD_PORT_htp}", "--node", "${node.uniqe.name}"]
      }
      env {
        REGION = "${vars.region}"
      }
    }
  }
}
