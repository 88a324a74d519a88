# ARGS: validate -json data/periodic_without_spec.json
# EXIT: 1
# E0364: a periodic block with no cron spec (JSON job: in HCL the decoder requires `cron` or `crons`).
