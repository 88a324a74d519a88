# ARGS: parse %s
# EXIT: 1
# Text form: a tab is four columns and the underline stays under non-ASCII text.
job "café" {
	meta {
		note = "日本語" @ "ü"
	}
}
