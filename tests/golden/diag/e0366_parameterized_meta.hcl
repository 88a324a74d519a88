# ARGS: validate %s
# EXIT: 1
# E0366: a meta key both required and optional.
job "web" {
  type = "batch"
  parameterized {
    meta_required = ["a", "b"]
    meta_optional = ["b"]
  }
  group "web" {
    task "server" {
      driver = "exec"
    }
  }
}
