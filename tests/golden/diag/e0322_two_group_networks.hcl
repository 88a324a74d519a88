# ARGS: validate -json data/two_networks.json
# EXIT: 1
# E0322: a group with two networks (JSON job: in HCL the decoder reports the second `network` block, E0205).
