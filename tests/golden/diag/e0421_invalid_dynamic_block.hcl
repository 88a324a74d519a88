# ARGS: validate %s
# EXIT: 1
# E0421: `for_each` of a dynamic block must be a collection.
job "web" {
  group "web" {
    task "server" {
      driver = "exec"
      dynamic "artifact" {
        for_each = 5
        content {
          source = "https://example.com/a"
        }
      }
    }
  }
}
