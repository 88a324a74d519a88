# Comments: kept, re-indented when alone on a line, trailing whitespace removed; trailing line
# comments aligned over consecutive lines that have one.
// a slash comment
/* a block comment
   over two lines with trailing spaces
*/
job "c" { # after the brace
  # indented too far
  count = 1           # one
  name  = "long name" # two
  other = true        // three

  group "g" { // group
    /* before a block */ task "t" {
      driver = "exec" /* trailing block comment stays put */
    }
  } // end group
}   // end job
