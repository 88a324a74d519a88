a = "\uDFFF${x}"
b = <<EOF
\U00110000
EOF
