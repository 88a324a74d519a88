# Objects: one space inside the braces of a one-line object, `{}` when empty, `key = value`
# items of a multi-line object aligned like attributes, `key: value` spaced like hclwrite does.
locals {
  empty    = {}
  one_line = { a = 1, b = "two" }
  multi = {
    a            = 1
    bbb          = 2
    "quoted key" = 3
    (local.k)    = 4

    after_blank = 5
    nested = {
      x  = 1
      yy = 2
    }
  }
  colon = {
    a : 1
    bbb : 2
  }
  mixed_commas = {
    a  = 1,
    bb = 2,
  }
}
