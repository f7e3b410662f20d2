#!/usr/bin/env bash
# Prints the directory holding kube-apiserver and etcd for envtest, building them
# on first use. The builder lives in internal/kubeassets/build.sh, embedded in the
# infra-operator binary so that `infra-operator local` works without this repository.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
exec bash internal/kubeassets/build.sh "$@"
