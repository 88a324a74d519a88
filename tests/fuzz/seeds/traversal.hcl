a = x.y[0].z.*.w
b = x[*].y[1]
c = f(a, b, rest...)
d = x.0.1
