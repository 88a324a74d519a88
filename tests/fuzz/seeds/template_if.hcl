a = "x${b}y%{ if c }z%{ else }w%{ endif }"
