job "a" {
  group "b" {
