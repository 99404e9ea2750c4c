# Antre. `make run` starts a demo hub; `make run-hq` a demo headquarters; `make test` runs every test (installing what they need on
# a fresh Debian machine first); `make bench` measures; `make lint` checks formatting and vet.
GO        ?= go
BIN       ?= bin/antre
DATA      ?= data
TESTFLAGS ?= -race -count=1 -timeout 30m
# The hub builds without the ALSA headers; only the speaker runtime (antre display --audio alsa)
# needs them (make deps installs libasound2-dev), so a fresh machine can make run at once.
TAGS      ?= $(shell pkg-config --exists alsa 2>/dev/null || echo noalsa)

.PHONY: run run-hq build test bench lint deps media clean

build:
	$(GO) build -tags '$(TAGS)' -o $(BIN) ./cmd/antre
	@[ -z "$(TAGS)" ] || echo "note: built without ALSA (no libasound2-dev): antre display plays no sound; make deps installs it"

run: build
	ANTRE_DATA=$${ANTRE_DATA:-$(DATA)} ./$(BIN) server --demo

# run-hq starts a demo headquarters: a PostgreSQL cluster of its own in hq-data/postgres, a demo
# office registered once, the dashboard on 127.0.0.1:8090 (scripts/run-hq.sh).
run-hq: build
	ANTRE_DATA=$${ANTRE_DATA:-hq-data} BIN=$(BIN) sh scripts/run-hq.sh

# deps installs the Debian packages and test tools the tests drive for real (root, or sudo).
deps:
	sh scripts/install-deps.sh

# The real-time audio capture test (media/alsa) runs alone, after the rest, so that no other
# package's tests compete with it for the CPU while pv paces the sound card in real time.
test: deps lint
	$(GO) test $(TESTFLAGS) $$($(GO) list ./... | grep -v /media/alsa)
	$(GO) test $(TESTFLAGS) ./media/alsa

bench: build
	sh scripts/bench.sh

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...

media:
	sh media/clips/generate.sh

clean:
	rm -rf bin
