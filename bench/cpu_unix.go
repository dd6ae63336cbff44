//go:build unix

package main

import (
	"os/exec"
	"syscall"
	"time"
)

// childrenCPU returns the user+system CPU time of every child of this
// process that has ended and been waited for, with the descendants those
// children waited for in turn (getrusage(RUSAGE_CHILDREN)). The difference
// across one `terraform` run is Terraform's CPU plus its provider plugins',
// which Terraform waits for before it exits. The emulator runs inside this
// process (RUSAGE_SELF), so it is not counted. cmd is not needed here.
func childrenCPU(*exec.Cmd) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_CHILDREN, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cpuMethod says how childrenCPU measures, for the results.
const cpuMethod = "getrusage(RUSAGE_CHILDREN) of the bench process, the difference across each `terraform` run: user + system time of Terraform and of every process it waited for (its provider plugins); the emulator runs inside the bench process and is not counted"
