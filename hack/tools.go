//go:build tools

// Package tools pins the code generators in go.mod.
package tools

import _ "sigs.k8s.io/controller-tools/cmd/controller-gen"
