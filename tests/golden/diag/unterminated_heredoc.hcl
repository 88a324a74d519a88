# ARGS: parse %s
# EXIT: 1
# E0103: the heredoc never reaches its closing marker.
job "web" {
  meta {
    motd = <<EOT
hello
  EOT is indented, but this is not the marker line
