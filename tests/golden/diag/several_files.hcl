# ARGS: parse valid_job.hcl %s valid_job.hcl
# EXIT: 1
# Several files: one JSON document per line in argument order, null for this one.
job "web" {
  count = = 1
}
