# comment
// comment
/* block
comment */ a = 1 /* inline */
