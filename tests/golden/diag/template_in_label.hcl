# ARGS: parse %s
# EXIT: 1
# E0112: block labels are literal strings.
job "web-${var.env}" {
}
