# ARGS: validate -json data/valid_job.json
# EXIT: 0
# A job in Nomad's API JSON ({"Job": {...}}) that is valid: the same success line as for HCL.
