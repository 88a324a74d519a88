# One-line blocks keep one space inside the braces; an empty block is `{}`.
job "o" {
  group "g" {
    network { mode = "bridge" }
    restart {}
    ephemeral_disk {}
    task "t" { driver = "exec" }
    task "u" {
    }
  }
}
