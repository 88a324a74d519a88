# ARGS: parse -format=json does-not-exist.hcl
# EXIT: 1
# -format=json for a diagnostic without a location (E0001): no file/line fields.
