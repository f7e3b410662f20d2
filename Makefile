# Everything here is plain `go` underneath; the targets only name the steps.
export GOFLAGS ?= -mod=mod
CONTROLLER_GEN := go run sigs.k8s.io/controller-tools/cmd/controller-gen
N ?= 500

.PHONY: all build generate manifests fmt vet test test-e2e verify bench envtest-assets local

all: build

build:
	go build -o bin/infra-operator ./cmd/infra-operator

## generate: deepcopy functions for the API types
generate:
	$(CONTROLLER_GEN) object paths=./api/...

## manifests: CRDs and RBAC from the markers
manifests:
	$(CONTROLLER_GEN) crd paths=./api/... output:crd:artifacts:config=config/crd/bases
	$(CONTROLLER_GEN) rbac:roleName=infra-operator-manager paths=./internal/controller/... output:rbac:artifacts:config=config/rbac
	hack/sync-chart-crds.sh

fmt:
	gofmt -w $$(git ls-files '*.go')

vet:
	go vet ./...

## verify: fails when generated files are stale or code is unformatted
verify: generate manifests
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1)
	@git diff --exit-code -- api config || (echo "generated files are stale: run make generate manifests and commit"; exit 1)

envtest-assets:
	@hack/envtest-assets.sh

## test: every test, with a real kube-apiserver and etcd (built once, cached)
test:
	hack/test.sh

bench:
	go run ./test/bench -n $(N)

local: build
	bin/infra-operator local
