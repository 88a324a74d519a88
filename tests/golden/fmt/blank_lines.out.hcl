# Blank lines: none at the start or the end of the file, a run of them becomes one, and a blank
# line after `{` or before `}` is kept (hclwrite keeps them); whitespace-only lines are blank.
job "b" {

  a = 1

  b = 2

  c = 3

}

block "no_final_newline" {
  x = 1
}
