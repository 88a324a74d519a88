# ARGS: validate -json data/static_port_out_of_range.json
# EXIT: 1
# E0325: a static port above 65535 (JSON job: HCL's decoder already checks the range, E0216).
