# Alignment: `=` lines up over a run of consecutive single-line assignments. A blank line, a
# comment-only line, a block and a multi-line value each end the run; a heredoc assignment is a
# single line for this purpose (as in hclwrite).
job "web" {
  datacenters = ["dc1"]
  type = "service"
  priority=50
  all_at_once    = false

  namespace = "default"
  # a comment-only line ends the run
  region = "global"
  meta {
    owner = "platform"
    cost_centre = "cc-1234"
  }
  node_pool = "default"
  constraint_value = [
    "a",
  ]
  x = 1
  long_attribute_name = <<EOF
text
EOF
  y = 2
  𝒜 = "unicode names count code points"
  bungle = 3
}
