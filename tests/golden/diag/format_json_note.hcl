# ARGS: parse -format=json %s
# EXIT: 1
# -format=json with a note: the duplicate attribute names its first definition.
meta {
  owner = "a"
  owner = "b"
}
