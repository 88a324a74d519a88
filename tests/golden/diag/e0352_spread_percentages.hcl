# ARGS: validate %s
# EXIT: 1
# E0352: spread target percentages add up to more than 100.
job "web" {
  spread {
    attribute = "${node.datacenter}"
    target "dc1" {
      percent = 70
    }
    target "dc2" {
      percent = 40
    }
  }
  group "web" {
    task "server" {
      driver = "exec"
    }
  }
}
