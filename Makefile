# Automagik Telemetry for Swift — developer commands.
SWIFT ?= swift

.PHONY: build test unit integration bench demo format lint clean

build:
	$(SWIFT) build

## Everything: unit tests, then the integration suite against real servers.
test: unit integration

unit:
	$(SWIFT) test

## Starts real servers on 127.0.0.1, runs the integration suite, stops them.
integration:
	IntegrationTests/run.sh

## Release-build benchmarks; prints one JSON object per workload and a table.
bench:
	Benchmarks/run.sh

## Runs the sample workload into demo-output/telemetry.jsonl and prints a summary.
demo:
	$(SWIFT) run automagik-telemetry demo --output demo-output/telemetry.jsonl

format:
	$(SWIFT) format --in-place --recursive Package.swift Modules Adapters Tests

lint:
	$(SWIFT) format lint --recursive Package.swift Modules Adapters Tests

clean:
	rm -rf .build demo-output
