# Dojo phase 8: Consul as a binary, with the exec driver and an artifact. `consul_url` points at
# the release zip; drover's e2e test serves a stand-in from 127.0.0.1 (there is no internet here):
#   drover job run -var consul_url=http://127.0.0.1:8000/consul_1.6.2_linux_amd64.zip phase8-consul.nomad
variable "consul_url" {
  type    = string
  default = "https://releases.hashicorp.com/consul/1.6.2/consul_1.6.2_linux_amd64.zip"
}

job "consul" {
  datacenters = ["dc1"]
  type        = "service"

  group "consul" {
    count = 1

    task "consul" {
      driver = "exec"

      config {
        command = "local/consul"
        args    = ["agent", "-dev"]
      }

      artifact {
        source = var.consul_url
      }
    }
  }
}
