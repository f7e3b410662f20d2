#!/usr/bin/env bash
# Fails when Go files are not gofmt-formatted or when the generated code
# (deepcopy, CRDs, RBAC, the chart's copy of the CRDs) is stale.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOFLAGS="${GOFLAGS:--mod=mod}"

unformatted=$(gofmt -l $(git ls-files '*.go'))
if [[ -n "${unformatted}" ]]; then
  echo "verify: not gofmt-formatted:" >&2
  echo "${unformatted}" >&2
  exit 1
fi

make --no-print-directory generate manifests >/dev/null
if ! git diff --quiet -- api config charts; then
  echo "verify: generated files are stale; run 'make generate manifests' and commit:" >&2
  git diff --stat -- api config charts >&2
  exit 1
fi
