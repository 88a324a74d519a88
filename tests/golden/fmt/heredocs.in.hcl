# Heredocs: the body and the closing marker stay byte for byte (trailing spaces included); the
# expressions inside `${ }` are spaced like any expression; the heredoc's line is an ordinary
# assignment for alignment.
job "docs" {
  group "g" {
    task "t" {
      template {
        destination   =   "local/file.conf"
        data = <<EOH
  indented   
{{ key "service/config" }}
value = ${ upper( "x" ) }
    EOH
      }
      template {
        data = <<-EOF
          flush heredoc
            keeps its body
          EOF
        change_mode="restart"
      }
      env {
        SCRIPT = trimspace(<<EOT
echo hello
EOT
        )
      }
    }
  }
}
