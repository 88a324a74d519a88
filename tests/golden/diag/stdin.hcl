# ARGS: parse -
# EXIT: 1
# STDIN: %s
# Standard input is named <stdin> in diagnostics.
job "web" {
  count = "3
}
