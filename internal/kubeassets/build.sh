#!/usr/bin/env bash
# Provides the kube-apiserver and etcd binaries that envtest (and `infra-operator local`)
# run, and prints the directory that holds them (use it as KUBEBUILDER_ASSETS).
# Embedded in the binary by package kubeassets (run from Go by kubeassets.Ensure) and
# run from the repository by hack/envtest-assets.sh: it must not read files beside it.
#
# - KUBEBUILDER_ASSETS set and holding both binaries: that directory is used as it is.
# - Otherwise the binaries are built from the Go module proxy at pinned versions into a
#   cache outside the repository, and reused once there. No binary is downloaded.
#
# kube-apiserver comes from k8s.io/kubernetes, whose go.mod replaces its staging modules
# (k8s.io/api, k8s.io/client-go, ...) with ./staging paths that do not exist in the module
# zip: the build module below replaces each with the published v0.x release of the same
# number. A cold build takes about 10 minutes on 2 cores.
set -euo pipefail

KUBERNETES_VERSION="${KUBERNETES_VERSION:-v1.37.2}"
ETCD_VERSION="${ETCD_VERSION:-v3.6.16}"
CACHE_ROOT="${INFRA_OPERATOR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/infra-operator}"
ASSETS_DIR="${CACHE_ROOT}/envtest/k8s-${KUBERNETES_VERSION}-etcd-${ETCD_VERSION}"

log() { echo "envtest-assets: $*" >&2; }

if [[ -n "${KUBEBUILDER_ASSETS:-}" ]]; then
  if [[ -x "${KUBEBUILDER_ASSETS}/kube-apiserver" && -x "${KUBEBUILDER_ASSETS}/etcd" ]]; then
    echo "${KUBEBUILDER_ASSETS}"
    exit 0
  fi
  log "KUBEBUILDER_ASSETS=${KUBEBUILDER_ASSETS} lacks kube-apiserver or etcd; building into ${ASSETS_DIR}"
fi

mkdir -p "${ASSETS_DIR}"
# One builder at a time: a test run and `infra-operator local` may ask together.
exec 9>"${ASSETS_DIR}/.lock"
flock 9

build_module() { # dir
  local dir=$1
  mkdir -p "${dir}"
  cd "${dir}"
  [[ -f go.mod ]] || go mod init infra-operator-envtest-build >/dev/null 2>&1
}

if [[ ! -x "${ASSETS_DIR}/etcd" ]]; then
  log "building etcd ${ETCD_VERSION} (about 2 minutes cold)..."
  start=$(date +%s)
  dir="${CACHE_ROOT}/build/etcd-${ETCD_VERSION}"
  build_module "${dir}"
  (
    cd "${dir}"
    GOFLAGS=-mod=mod go get "go.etcd.io/etcd/server/v3@${ETCD_VERSION}" >&2
    CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -o "${ASSETS_DIR}/etcd.tmp" go.etcd.io/etcd/server/v3 >&2
  )
  mv "${ASSETS_DIR}/etcd.tmp" "${ASSETS_DIR}/etcd"
  log "etcd built in $(( $(date +%s) - start ))s"
fi

if [[ ! -x "${ASSETS_DIR}/kube-apiserver" ]]; then
  log "building kube-apiserver ${KUBERNETES_VERSION} (about 10 minutes cold on 2 cores)..."
  start=$(date +%s)
  dir="${CACHE_ROOT}/build/kubernetes-${KUBERNETES_VERSION}"
  build_module "${dir}"
  (
    cd "${dir}"
    staging_version="v0.${KUBERNETES_VERSION#v1.}"
    GOFLAGS=-mod=mod go mod download -json "k8s.io/kubernetes@${KUBERNETES_VERSION}" > download.json
    upstream_mod=$(sed -n 's/.*"GoMod": "\(.*\)",/\1/p' download.json)
    # Every staging module kubernetes replaces with a local path, replaced here by its release.
    for module in $(sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\1#p' "${upstream_mod}"); do
      go mod edit -replace "${module}=${module}@${staging_version}"
    done
    go mod edit -require "k8s.io/kubernetes@${KUBERNETES_VERSION}"
    cat > tools.go <<'GO'
//go:build tools

package tools

import _ "k8s.io/kubernetes/cmd/kube-apiserver"
GO
    GOFLAGS=-mod=mod go mod tidy >&2
    CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -o "${ASSETS_DIR}/kube-apiserver.tmp" k8s.io/kubernetes/cmd/kube-apiserver >&2
  )
  mv "${ASSETS_DIR}/kube-apiserver.tmp" "${ASSETS_DIR}/kube-apiserver"
  log "kube-apiserver built in $(( $(date +%s) - start ))s"
fi

# kubectl only on request (WITH_KUBECTL=1): most machines have one already.
if [[ "${WITH_KUBECTL:-}" == 1 && ! -x "${ASSETS_DIR}/kubectl" ]]; then
  log "building kubectl ${KUBERNETES_VERSION}..."
  (
    cd "${CACHE_ROOT}/build/kubernetes-${KUBERNETES_VERSION}"
    CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -o "${ASSETS_DIR}/kubectl.tmp" k8s.io/kubernetes/cmd/kubectl >&2
  )
  mv "${ASSETS_DIR}/kubectl.tmp" "${ASSETS_DIR}/kubectl"
fi

echo "${ASSETS_DIR}"
