//go:build unix

package lambdaruntime

import (
	"os/exec"
	"syscall"
)

// ownProcessGroup starts the handler in a process group of its own, so
// that stopping it stops what it started too (a shell script's children).
func ownProcessGroup(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} }

func killProcessGroup(cmd *exec.Cmd) {
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
