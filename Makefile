# Automagik Telemetry for Swift — developer commands.
SWIFT ?= swift

.PHONY: build test unit fuzz fuzz-short tsan integration integration-cluster bench demo format lint clean privacy-eval

build:
	$(SWIFT) build

## Everything: the formatter's lint, unit tests, the same suite under ThreadSanitizer, then the integration
## suites (single servers, then the ClickHouse cluster and the fleet).
test: lint unit fuzz-short tsan integration integration-cluster

unit:
	$(SWIFT) test

## libFuzzer (with AddressSanitizer) on every parser of outside bytes: 60 s per target (FUZZ_SECONDS=...).
fuzz:
	Fuzz/run.sh

## The same targets for 10 s each: what `make test` (and so CI) runs on every push.
fuzz-short:
	FUZZ_SECONDS=10 Fuzz/run.sh

## The unit suite under ThreadSanitizer (separate build folder). One test at a time: in parallel, CPU-bound
## suites slowed ~10x by TSan held both cooperative threads of a 2-core CI machine for 35 s and tests that
## wait on real time failed (serial: 174 s for the suite, against 139-148 s in parallel).
tsan:
	$(SWIFT) test --sanitize=thread --scratch-path .build-tsan --no-parallel

## Starts real servers on 127.0.0.1, runs the integration suite, stops them.
integration:
	IntegrationTests/run.sh

## A 2-shard x 2-replica ClickHouse cluster with ZooKeeper, faults included, and a fleet of 50 SDK processes.
integration-cluster:
	IntegrationTests/cluster/run.sh

## Release-build benchmarks; prints one JSON object per workload and a table.
bench:
	Benchmarks/run.sh

## The privacy engine against detect-secrets and presidio-analyzer on the labelled corpus (installs both).
privacy-eval:
	$(SWIFT) build --product automagik-telemetry
	python3 -m venv .build/privacy-venv && .build/privacy-venv/bin/pip install --quiet --disable-pip-version-check detect-secrets presidio-analyzer
	cd IntegrationTests/privacy_eval && ../../.build/privacy-venv/bin/python run.py "$$(cd ../.. && $(SWIFT) build --show-bin-path)/automagik-telemetry" 2>/dev/null

## Runs the sample workload into demo-output/telemetry.jsonl and prints a summary.
demo:
	$(SWIFT) run automagik-telemetry demo --output demo-output/telemetry.jsonl

## Formats every Swift file with the house style (.swift-format).
format:
	$(SWIFT) format --in-place --recursive Package.swift Modules Adapters Tests Benchmarks IntegrationTests Fuzz

## Fails on any formatting or lint finding (.swift-format); prints nothing when clean.
lint:
	$(SWIFT) format lint --strict --recursive Package.swift Modules Adapters Tests Benchmarks IntegrationTests Fuzz

clean:
	rm -rf .build .build-tsan .build-fuzz demo-output
