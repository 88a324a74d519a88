# ARGS: lint %s
# EXIT: 0
# W0906: constraints no node satisfies: a misspelled kernel, and exec (Linux only) on Windows.
job "web" {
  constraint {
    attribute = "${attr.kernel.name}"
    value     = "linx"
  }
  group "web" {
    task "server" {
      driver = "exec"
      constraint {
        attribute = "${attr.kernel.name}"
        value     = "windows"
      }
    }
  }
}
