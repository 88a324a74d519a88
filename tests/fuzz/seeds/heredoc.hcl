a = <<EOF
line ${x}
  $${lit} %%{lit}
EOF
b = <<-EOT
    indented
      more
    EOT
