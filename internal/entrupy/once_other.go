//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package entrupy

import (
	"errors"
	"os"
)

// flockAvailable: without flock no create journal is kept (once.go), so
// nothing is ever adopted.
const flockAvailable = false

func lockFile(*os.File) (func(), error) { return nil, errors.New("no flock on this platform") }

func processAlive(int) bool { return true }
