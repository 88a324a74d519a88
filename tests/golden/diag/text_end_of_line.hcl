# ARGS: parse %s
# EXIT: 1
# Text form: the file ends without a newline, so the error has a zero-width range at the
# end of the last line.
region =