a = <<
EOF
