# Stratum: every command a developer and CI need. `make` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

GOLANGCI_LINT_VERSION := v2.15.0
ACTIONLINT_VERSION    := v1.7.12
BIN   := $(CURDIR)/bin
ENV   ?= dev
STACK ?= .

# Every Pulumi project in the repository: the directories that hold a Pulumi.yaml.
PROJECTS := $(sort $(patsubst %/,%,$(dir $(shell git ls-files --cached --others --exclude-standard -- 'Pulumi.yaml' '*/Pulumi.yaml'))))

.PHONY: help tools fmt lint test golden plan preview up check

help: ## List the targets.
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-8s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

tools: $(BIN)/golangci-lint-$(GOLANGCI_LINT_VERSION) $(BIN)/actionlint-$(ACTIONLINT_VERSION) ## Build the pinned linters into ./bin from the module proxy.

$(BIN)/golangci-lint-$(GOLANGCI_LINT_VERSION):
	GOBIN=$(BIN) go install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)
	@touch $@

$(BIN)/actionlint-$(ACTIONLINT_VERSION):
	GOBIN=$(BIN) go install github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)
	@touch $@

fmt: tools ## Format the Go code.
	$(BIN)/golangci-lint fmt ./...

lint: tools ## Run golangci-lint (with the dependency rules) and actionlint.
	$(BIN)/golangci-lint run ./...
	$(BIN)/actionlint

test: ## Run every test offline: no AWS account, no Pulumi CLI.
	go test ./...

golden: ## Rewrite the golden files (plans) from the current code.
	go test $$(go list -f '{{.ImportPath}} {{join .TestImports " "}} {{join .XTestImports " "}}' ./... | awk '/platform\/plan\/plantest/ {print $$1}') -update

plan: ## Plan every Pulumi project offline for ENV (default dev).
	@set -e; for dir in $(PROJECTS); do \
		main=$$(sed -n 's/^main: *//p' $$dir/Pulumi.yaml); \
		echo "== $$dir ($(ENV))"; \
		go run ./$$dir/$${main:-.} plan --env $(ENV) --dir $$dir; \
	done

preview: ## Pulumi preview of one project: make preview STACK=stacks/accounts ENV=dev.
	cd $(STACK) && pulumi preview --stack $(ENV) --diff

up: ## Pulumi up of one project: make up STACK=stacks/accounts ENV=dev.
	cd $(STACK) && pulumi up --stack $(ENV)

check: lint test ## Everything CI runs.
