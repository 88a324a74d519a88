# ARGS: parse %s
# EXIT: 1
# E0113: attribute names are identifiers, not strings.
task "t" {
  env {
    "MYSQL_ALLOW_EMPTY_PASSWORD" = "yes"
  }
}
