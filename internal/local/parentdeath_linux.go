package local

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// ExecTiedToParentArg is the hidden first argument of `infra-operator local`
// that makes it the shim below instead of the local environment.
const ExecTiedToParentArg = "--exec-tied-to-parent"

// tiedToThisProcess returns paths envtest can start in place of etcd and
// kube-apiserver: scripts that re-enter this binary as a shim, which asks
// the kernel to SIGKILL it when its parent dies and then becomes the real
// binary (the request survives exec). envtest starts its processes with its
// own exec.Cmd and offers no hook to set SysProcAttr.Pdeathsig, so without
// this a SIGKILLed `infra-operator local` would leave etcd and
// kube-apiserver running, holding the data directory and their ports.
func tiedToThisProcess(layout dataLayout, assetsDir string) (etcd, apiServer string, err error) {
	self, err := os.Executable()
	if err != nil {
		return "", "", err
	}
	if err := os.MkdirAll(layout.shims(), 0o700); err != nil {
		return "", "", err
	}
	parent := strconv.Itoa(os.Getpid())
	paths := map[string]string{}
	for _, name := range []string{"etcd", "kube-apiserver"} {
		script := "#!/bin/sh\n# Written by infra-operator local: runs " + name + " so that it dies with its parent.\n" +
			"exec " + shellQuote(self) + " local " + ExecTiedToParentArg + " " + parent + " " +
			shellQuote(filepath.Join(assetsDir, name)) + ` "$@"` + "\n"
		paths[name] = filepath.Join(layout.shims(), name)
		if err := os.WriteFile(paths[name], []byte(script), 0o700); err != nil {
			return "", "", err
		}
	}
	return paths["etcd"], paths["kube-apiserver"], nil
}

// ExecTiedToParent is the shim: args are the parent's pid, the binary and
// its arguments. It returns only on failure.
func ExecTiedToParent(args []string) error {
	if len(args) < 2 {
		return fmt.Errorf("%s wants PARENT_PID BINARY [ARGS...]", ExecTiedToParentArg)
	}
	parent, err := strconv.Atoi(args[0])
	if err != nil {
		return fmt.Errorf("parent pid %q: %w", args[0], err)
	}
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_SET_PDEATHSIG, uintptr(syscall.SIGKILL), 0); errno != 0 {
		return fmt.Errorf("asking to die with the parent: %w", errno)
	}
	// The parent may have died before the request was made; then nobody
	// would ever stop this process.
	if os.Getppid() != parent {
		return fmt.Errorf("parent %d is gone", parent)
	}
	binary := args[1]
	return syscall.Exec(binary, append([]string{binary}, args[2:]...), os.Environ())
}

// shellQuote quotes s for /bin/sh.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
