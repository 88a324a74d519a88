a = "${abc
