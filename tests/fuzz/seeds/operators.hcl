a = !b && c || d == e != f < g > h <= i >= j + k - l * m / n % o
b = -1.5e3 ? "t" : null
