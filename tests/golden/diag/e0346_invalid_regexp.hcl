# ARGS: validate %s
# EXIT: 1
# E0346: a regexp constraint that does not compile.
job "web" {
  constraint {
    attribute = "${attr.os.name}"
    operator  = "regexp"
    value     = "[a-"
  }
  group "web" {
    task "server" {
      driver = "exec"
    }
  }
}
