a = [for x on y : x]
