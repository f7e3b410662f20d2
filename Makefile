# Everything here is plain `go` underneath; the targets only name the steps.
# Every target has a "## target: what it does" line, which `make help` prints
# and hack/verify.sh holds to the .PHONY list.
export GOFLAGS ?= -mod=mod
CONTROLLER_GEN := go run sigs.k8s.io/controller-tools/cmd/controller-gen
# golangci-lint is pinned in its own module (hack/tools/go.mod), so that the
# operator's go.mod does not carry its dependencies. Built from the Go module
# proxy on first use, then cached by the go command.
GOLANGCI_LINT := go tool -modfile=hack/tools/go.mod golangci-lint
N ?= 500
SERVING_N ?= 100
SERVING_ROUTES ?= 10

.PHONY: all help build generate manifests fmt vet lint verify envtest-assets test test-e2e bench bench-serving local

## all: build the binary (the default target)
all: build

## help: list the targets
help:
	@awk '/^## [a-z0-9-]+:/ { name = $$2; sub(/:$$/, "", name); $$1 = $$2 = ""; sub(/^ +/, ""); printf "  %-15s %s\n", name, $$0 }' $(MAKEFILE_LIST)

## build: build bin/infra-operator
build:
	go build -o bin/infra-operator ./cmd/infra-operator

## generate: deepcopy functions for the API types
generate:
	$(CONTROLLER_GEN) object paths=./api/...

## manifests: CRDs and RBAC from the markers, and the chart's copy of the CRDs
manifests:
	$(CONTROLLER_GEN) crd paths=./api/... output:crd:artifacts:config=config/crd/bases
	$(CONTROLLER_GEN) rbac:roleName=infra-operator-manager paths=./internal/controller/... output:rbac:artifacts:config=config/rbac
	hack/sync-chart-crds.sh

## fmt: gofmt every Go file
fmt:
	gofmt -w $$(git ls-files '*.go')

## vet: go vet every package
vet:
	go vet ./...

## lint: golangci-lint with .golangci.yml (the version pinned in hack/tools/go.mod)
lint:
	$(GOLANGCI_LINT) run ./...

## verify: fails when code is unformatted, go.mod is untidy or generated files are stale
verify:
	hack/verify.sh

## envtest-assets: build kube-apiserver and etcd into the cache (once) and print their directory
envtest-assets:
	@hack/envtest-assets.sh

## test: every check and every test, as CI runs them (hack/test.sh)
test:
	hack/test.sh

## test-e2e: only the end-to-end tests of test/e2e, with the envtest binaries
test-e2e:
	KUBEBUILDER_ASSETS="$$(hack/envtest-assets.sh)" go test -count=1 -timeout 60m ./test/e2e/...

## bench: the scale benchmark (docs/benchmark.md): N APIGateways per API mode (N=500), then SERVING_N APIs of SERVING_ROUTES routes per protocol until they serve
bench:
	go run ./test/bench -n $(N) -serving-n $(SERVING_N) -serving-routes $(SERVING_ROUTES)

## bench-serving: only the serving modes of the benchmark (http, websocket, rest)
bench-serving:
	go run ./test/bench -modes http,websocket,rest -serving-n $(SERVING_N) -serving-routes $(SERVING_ROUTES)

## local: build, then run everything locally: API server, emulator, operator
local: build
	bin/infra-operator local
