# ARGS: validate -json data/scaling_min_negative.json
# EXIT: 1
# E0319: a negative scaling min (JSON job: HCL's decoder already refuses a negative `min`).
