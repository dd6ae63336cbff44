//go:build !unix

package main

import (
	"os/exec"
	"time"
)

// childrenCPU has no portable children rusage: it returns 0 before cmd has
// run and Terraform's own user+system time after (provider plugins not
// included), so the difference across a run is Terraform's CPU alone.
func childrenCPU(cmd *exec.Cmd) time.Duration {
	if cmd == nil || cmd.ProcessState == nil {
		return 0
	}
	return cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
}

// cpuMethod says how childrenCPU measures, for the results.
const cpuMethod = "the user + system time the OS reports for the `terraform` process alone (provider plugins not included on this platform)"
