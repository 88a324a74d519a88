# ARGS: validate %s
# EXIT: 1
# E0315: every task needs a driver.
job "web" {
  group "web" {
    task "server" {
      user = "nobody"
    }
  }
}
