# The README's commands and the rest of the developer loop (all through ./dev).
.PHONY: run test check setup
run:
	./dev run
test:
	./dev test
check:
	./dev check
setup:
	./dev setup
