# Stratum: every command a developer and CI need. `make` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

GOLANGCI_LINT_VERSION := v2.15.0
ACTIONLINT_VERSION    := v1.7.12
# The Pulumi CLI at the SDK's exact version (go.mod); tools/pulumi pins its module.
PULUMI_VERSION        := v3.274.1
BIN   := $(CURDIR)/bin
ENV   ?= dev
STACK ?= .
BASE  ?= origin/main
OUT   ?= .stratum/portal
STRATUM := go run ./cmd/stratum

.PHONY: help tools pulumi fmt tidy lint test e2e golden plan graph docs order affected api-diff portal bench preview up check

help: ## List the targets.
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

tools: $(BIN)/golangci-lint-$(GOLANGCI_LINT_VERSION) $(BIN)/actionlint-$(ACTIONLINT_VERSION) $(BIN)/pulumi-$(PULUMI_VERSION) ## Build the pinned linters and Pulumi CLI into ./bin from the module proxy.

$(BIN)/golangci-lint-$(GOLANGCI_LINT_VERSION):
	GOBIN=$(BIN) go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
	@touch $@

$(BIN)/actionlint-$(ACTIONLINT_VERSION):
	GOBIN=$(BIN) go install github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)
	@touch $@

pulumi: $(BIN)/pulumi-$(PULUMI_VERSION) ## Build only the pinned Pulumi CLI into ./bin (what the workflows need).

# The Automation API refuses a CLI that does not know its version, so the build sets it.
$(BIN)/pulumi-$(PULUMI_VERSION):
	cd tools/pulumi && go build -ldflags "-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$(PULUMI_VERSION)" \
		-o $(BIN)/pulumi github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
	@touch $@

fmt: tools ## Format the Go code.
	$(BIN)/golangci-lint fmt ./...

# -diff changes nothing: it fails, showing the difference, when a go.mod or go.sum is not tidy.
tidy: ## Check that go.mod and go.sum are tidy, here and in tools/pulumi (`go mod tidy` fixes them).
	go mod tidy -diff
	cd tools/pulumi && go mod tidy -diff

lint: tools tidy ## Run golangci-lint (with the dependency rules), actionlint and the tidy check.
	$(BIN)/golangci-lint run ./...
	$(BIN)/actionlint

test: ## Run every test offline (no AWS account); with ./bin/pulumi, also the real-engine suite (e2e/).
	go test ./...

e2e: tools ## Run only the real-engine suite, verbose (part of `make test` too).
	go test ./e2e/ -count=1 -v -timeout 30m

# Only the test binaries of packages that import platform/plan/plantest define -update. A
# consumer's golden plan reads its producers' (stack references resolve to them), so the first
# pass may fail on what it changes upstream: it stays quiet, and the second pass, which settles
# it, shows everything and fails on any failure.
golden: ## Rewrite the golden files (plans, docs/architecture.md) from the current code.
	@set -eo pipefail; \
	pkgs=$$(go list -f '{{.ImportPath}} {{join .TestImports " "}} {{join .XTestImports " "}}' ./... | awk '/platform\/plan\/plantest/ {print $$1}'); \
	if [ -z "$$pkgs" ]; then echo "make golden: no package's tests import platform/plan/plantest" >&2; exit 1; fi; \
	if ! go test -p 1 $$pkgs -update >/dev/null 2>&1; then \
		echo "make golden: the first pass failed (a producer's golden plan changed?); the second pass decides"; \
	fi; \
	go test -p 1 $$pkgs -update
	$(STRATUM) graph --env dev --out docs/architecture.md
	go test ./... -run 'Golden|Architecture'

plan: ## Plan every project offline for ENV (default dev), with policy findings; exit 1 on an error finding.
	$(STRATUM) plan --env $(ENV)

graph: ## Print the Mermaid diagrams (context map, deploy order, one per stack) for ENV.
	$(STRATUM) graph --env $(ENV)

docs: ## Rewrite docs/architecture.md.
	$(STRATUM) graph --env dev --out docs/architecture.md

order: ## Print the deploy order derived from stack references.
	$(STRATUM) order --env $(ENV)

affected: ## Print the projects a change since BASE (default origin/main) affects.
	$(STRATUM) affected --base $(BASE)

api-diff: ## Fail on a breaking change to an API spec since the branch left BASE (default origin/main).
	$(STRATUM) api-diff --base $(BASE)

portal: ## Build the developer portal from every API spec into OUT (default .stratum/portal).
	$(STRATUM) portal --out $(OUT)

bench: ## Benchmarks: planning per resource (components against raw pulumi-aws), and `stratum plan` end to end.
	go test ./components/service/ -run '^$$' -bench 'Plan' -benchmem -benchtime=3x -count=3
	go test ./cmd/stratum/ -run '^$$' -bench 'PlanDev' -benchtime=3x -count=3

preview: ## Pulumi preview of one project: make preview STACK=stacks/accounts ENV=dev.
	cd $(STACK) && pulumi preview --stack $(ENV) --diff

up: ## Pulumi up of one project: make up STACK=stacks/accounts ENV=dev.
	cd $(STACK) && pulumi up --stack $(ENV)

check: lint test ## Everything CI runs.
