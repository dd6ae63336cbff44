//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package entrupy

import "errors"

// openSharedTimeline is not available here: the client paces itself alone
// (the adaptive rate still cooperates with other processes through 429s).
func openSharedTimeline(string, string) (timeline, error) {
	return nil, errors.New("a shared rate timeline needs flock, which this platform lacks")
}
