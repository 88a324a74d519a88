# ARGS: parse -format=sarif %s
# EXIT: 1
# -format=sarif: a SARIF 2.1.0 log, rules for the codes that occur, notes as related locations.
job "web" {
  count = 1
  count = 2
}
