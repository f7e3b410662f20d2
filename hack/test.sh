#!/usr/bin/env bash
# The project's test command (README, CI): checks that generated files and
# formatting are current, provides kube-apiserver and etcd (built once from the
# Go module proxy and cached), then runs every test. Extra arguments go to
# `go test` (e.g. hack/test.sh -run TestSeed ./internal/controller/).
set -euo pipefail
cd "$(dirname "$0")/.."
export GOFLAGS="${GOFLAGS:--mod=mod}"

hack/verify.sh

KUBEBUILDER_ASSETS="$(hack/envtest-assets.sh)"
export KUBEBUILDER_ASSETS
echo "test.sh: envtest binaries in ${KUBEBUILDER_ASSETS}"

go vet ./...
if [[ $# -gt 0 ]]; then
  go test -count=1 -timeout 60m "$@"
else
  go test -count=1 -timeout 60m ./...
fi
