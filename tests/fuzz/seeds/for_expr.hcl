a = [for i, v in xs : v * 2 if v > 0]
b = {for k, v in m : upper(k) => v...}
