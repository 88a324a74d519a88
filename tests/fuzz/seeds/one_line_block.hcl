block "a" "b" label3 { x = 1 }
empty {}
