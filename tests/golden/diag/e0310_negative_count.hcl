# ARGS: validate -json data/negative_count.json
# EXIT: 1
# E0310: a negative count (JSON job: HCL's decoder already refuses `count = -1`, E0216). A JSON job has no source ranges, so the diagnostic has no location.
