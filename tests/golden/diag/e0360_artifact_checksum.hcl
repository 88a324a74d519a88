# ARGS: validate %s
# EXIT: 1
# E0360: an artifact checksum of the wrong length.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      artifact {
        source = "https://example.com/app.tar.gz"
        options {
          checksum = "sha256:abcd"
        }
      }
    }
  }
}
