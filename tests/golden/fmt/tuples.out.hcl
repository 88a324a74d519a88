# Tuples: no space inside brackets or before commas, one after; elements spread over lines are
# indented one level; for expressions spaced around `in`, `:` and `=>`.
locals {
  a = [1, 2, 3]
  b = []
  c = [
    "x", "y",
    "z"
  ]
  d = [[1, 2], [3]]
  e = [for s in var.list : upper(s) if s != ""]
  f = { for k, v in var.map : k => v }
  g = { for k, v in var.map : v => k... }
  h = [for x in [1, 2] : x]
  i = [
    for x in var.list :
    x
  ]
}
