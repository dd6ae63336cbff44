//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package entrupy

import (
	"errors"
	"os"
	"syscall"
)

// flockAvailable: the create journal (once.go) can be kept here.
const flockAvailable = true

// lockFile takes f's exclusive flock; a process that dies holds none.
func lockFile(f *os.File) (unlock func(), err error) {
	fd := int(f.Fd())
	if err := flock(fd, syscall.LOCK_EX); err != nil {
		return nil, err
	}
	return func() { _ = flock(fd, syscall.LOCK_UN) }, nil
}

// processAlive reports whether pid may still run: only a definite "no such
// process" says it does not (a reused pid errs on the side of alive).
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	return !errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}
