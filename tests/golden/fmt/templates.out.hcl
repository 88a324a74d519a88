# Templates: string text stays byte for byte; inside `${ }` the expression is spaced like any
# other (`${ x }` becomes `${x}`); a directive keeps the spacing it was written with around its
# keyword and closing brace.
job "t" {
  meta {
    plain     = "two  spaces   stay"
    interp    = "http://${NOMAD_ADDR_http}/path"
    strip     = "${~var.name~}"
    expr      = "${var.a + var.b}-${upper(var.c)}"
    directive = "%{ if var.on }on%{ else }off%{ endif }"
    tight     = "%{if var.on}on%{endif}"
    loop      = "%{ for x in var.xs }${x},%{ endfor }"
    escapes   = "$${literal} %%{literal} \"quoted\" \\"
    object    = "${ { a = 1 } }"
    nested    = "${join(",", [for s in var.xs : "${s}"])}"
  }
}
