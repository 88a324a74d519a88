# Nesting: two spaces per level, whatever the input used (tabs, none, too many). Brackets spread
# over lines indent one level per line that opens more than it closes (hclwrite's rule): `[{` on
# one line is one level.
job "nested" {
group "g" {
	task "t" {
			driver = "docker"
    config {
  image = "redis:7"
  args = [
  "--port",
      "6379",
  ]
  devices = [{
  host_path = "/dev"
  container_path = "/dev"
  }]
  command = join(" ", [
  "a",
  "b",
  ])
  nested = [
  [
  1,
  2,
  ],
  [3, 4],
  ]
    }
  }
}
}
