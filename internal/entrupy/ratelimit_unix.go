//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package entrupy

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// fileTimeline is a timeline in a file that every client on the machine
// with the same token and API shares: 8 bytes, the theoretical arrival time
// of the next request in Unix nanoseconds, read and advanced under an
// exclusive flock. A process that dies holds no lock (the kernel drops it).
type fileTimeline struct {
	mu sync.Mutex // flock is per open file; this serializes our own goroutines
	f  *os.File
}

// openSharedTimeline opens (creating) the shared timeline file in dir.
func openSharedTimeline(dir, name string) (timeline, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	return &fileTimeline{f: f}, nil
}

// update runs fn on the stored time under the file lock and stores what fn
// returns.
func (t *fileTimeline) update(fn func(tat time.Time) time.Time) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	fd := int(t.f.Fd())
	if err := flock(fd, syscall.LOCK_EX); err != nil {
		return fmt.Errorf("locking the shared rate timeline: %w", err)
	}
	defer func() { _ = flock(fd, syscall.LOCK_UN) }()
	var buf [8]byte
	var tat time.Time
	if _, err := t.f.ReadAt(buf[:], 0); err == nil {
		if n := int64(binary.BigEndian.Uint64(buf[:])); n > 0 {
			tat = time.Unix(0, n)
		}
	} else if !errors.Is(err, io.EOF) {
		return err
	}
	next := fn(tat)
	binary.BigEndian.PutUint64(buf[:], uint64(next.UnixNano()))
	_, err := t.f.WriteAt(buf[:], 0)
	return err
}

func (t *fileTimeline) reserve(now time.Time, interval, horizon time.Duration) (time.Time, bool, error) {
	var slot time.Time
	taken := false
	err := t.update(func(tat time.Time) time.Time {
		slot = now
		if tat.After(slot) && tat.Sub(now) < maxTimelineLead {
			slot = tat
		}
		if slot.Sub(now) > horizon {
			return tat
		}
		taken = true
		return slot.Add(interval)
	})
	return slot, taken, err
}

func (t *fileTimeline) pushBack(until time.Time) error {
	return t.update(func(tat time.Time) time.Time {
		if until.After(tat) {
			return until
		}
		return tat
	})
}

func (t *fileTimeline) close() error { return t.f.Close() }

// maxTimelineLead bounds how far ahead a stored time is believed: a value
// further out (a clock that jumped back, a corrupt file) is ignored.
const maxTimelineLead = time.Hour

func flock(fd, how int) error {
	for {
		err := syscall.Flock(fd, how)
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}
