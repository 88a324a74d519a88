# ARGS: parse %s
# EXIT: 1
# E0117: `<<` needs an identifier and then a newline.
script = <<EOF echo hi
EOF
