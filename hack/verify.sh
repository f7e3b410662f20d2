#!/usr/bin/env bash
# The repository's consistency checks, for `make verify`, hack/test.sh and CI.
# Each prints what to run to fix it:
#   - Go files are gofmt-formatted;
#   - go.mod and go.sum are tidy, the operator's and hack/tools' (go mod tidy
#     would change nothing). The envtest builder (internal/kubeassets/build.sh)
#     pins k8s.io/kubernetes in a module of its own in the user's cache, so it
#     neither needs nor touches these;
#   - the generated code is current: deepcopy, CRDs, RBAC and the chart's copy
#     of the CRDs (make generate manifests would change nothing);
#   - every Makefile target is in .PHONY and has a "## target:" line for
#     `make help`.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOFLAGS="${GOFLAGS:--mod=mod}"

failed=0
fail() {
  echo "verify: $*" >&2
  failed=1
}

unformatted=$(gofmt -l $(git ls-files '*.go'))
if [[ -n "${unformatted}" ]]; then
  fail "not gofmt-formatted (run 'make fmt'):"$'\n'"${unformatted}"
fi

for module in . hack/tools; do
  if ! diff=$(cd "${module}" && go mod tidy -diff 2>&1); then
    fail "${module}/go.mod or go.sum is not tidy (run 'go mod tidy' in ${module}):"$'\n'"${diff}"
  fi
done

# Generated files: running the generators must change, add or remove nothing.
generated_paths=(api config charts)
snapshot() { find "${generated_paths[@]}" -type f -print0 | sort -z | xargs -0 sha256sum; }
before=$(snapshot)
make --no-print-directory generate manifests >/dev/null
after=$(snapshot)
if [[ "${before}" != "${after}" ]]; then
  changed=$( (diff <(echo "${before}") <(echo "${after}") || true) | sed -n 's/^[<>] [0-9a-f]*  /  /p' | sort -u)
  fail "generated files were stale, now regenerated (review and commit them; 'make generate manifests' does this):"$'\n'"${changed}"
fi

phony=$(sed -n 's/^\.PHONY://p' Makefile | tr ' ' '\n' | sed '/^$/d' | sort)
rules=$(sed -n 's/^\([a-z0-9-]*\):.*/\1/p' Makefile | sort)
documented=$(sed -n 's/^## \([a-z0-9-]*\):.*/\1/p' Makefile | sort)
if [[ "${phony}" != "${rules}" ]]; then
  fail "Makefile: .PHONY and the targets differ (< .PHONY, > targets):"$'\n'"$(diff <(echo "${phony}") <(echo "${rules}") | grep '^[<>]')"
fi
if [[ "${documented}" != "${rules}" ]]; then
  fail "Makefile: targets without a '## target:' line, or lines without a target (< documented, > targets):"$'\n'"$(diff <(echo "${documented}") <(echo "${rules}") | grep '^[<>]')"
fi

exit "${failed}"
