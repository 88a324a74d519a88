# Operators: one space around binary operators, `?`, `:`, `=>`; none after unary `!` and `-`;
# none around `.`, before `[` of an index, between a function name and `(`.
locals {
  sum         = a + b * c - d / e % f
  dashed      = c-d # one identifier: HCL names may contain `-`
  cmp         = a == b && c != d || e < f && g <= h && i > j && k >= l
  neg         = -1
  sub         = a - -1
  not         = !var.enabled
  cond        = var.x ? "yes" : "no"
  nested_cond = var.a ? var.b ? 1 : 2 : -3
  idx         = var.list[0]
  attr        = var.obj.field
  legacy      = var.list.0.name
  splat       = var.list[*].id
  splat_attr  = var.list.*.id
  call        = max(1, 2, 3)
  expand      = max(var.nums...)
  parens      = (a + b) * (c)
  number_attr = 1 .5
}
