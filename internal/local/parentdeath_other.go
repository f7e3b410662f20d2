//go:build !linux

package local

import (
	"errors"
	"path/filepath"
)

// ExecTiedToParentArg: see parentdeath_linux.go.
const ExecTiedToParentArg = "--exec-tied-to-parent"

// tiedToThisProcess returns the binaries themselves: only Linux can have the
// kernel kill a child when its parent dies, so elsewhere a SIGKILLed
// `infra-operator local` leaves etcd and kube-apiserver behind (Ctrl-C still
// stops them).
func tiedToThisProcess(_ dataLayout, assetsDir string) (etcd, apiServer string, err error) {
	return filepath.Join(assetsDir, "etcd"), filepath.Join(assetsDir, "kube-apiserver"), nil
}

// ExecTiedToParent is never asked for outside Linux.
func ExecTiedToParent([]string) error {
	return errors.New("tying a process to its parent needs Linux")
}
