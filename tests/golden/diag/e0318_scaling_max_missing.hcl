# ARGS: validate -json data/scaling_max_missing.json
# EXIT: 1
# E0318: a group scaling policy without max (JSON job: in HCL the decoder already requires `max`).
