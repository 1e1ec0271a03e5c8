package sluice

import (
	"os"
	"sync"
	"syscall"
	"time"
)

// waker turns the engine's wake-up fd (an eventfd that the engine writes to
// whenever a batch is queued, and once more when it stops) into a Go
// broadcast: one goroutine per engine waits on a dup of the fd through Go's
// network poller, which holds no OS thread, and on each wake-up closes the
// current channel and opens the next. Pollers take the current channel
// before they look for a batch, so a batch queued after they looked always
// closes a channel they wait on.
//
// The waiter references only the waker, never the Engine, so an unreachable
// Engine can still be finalised (its Close closes the fd and so ends the
// waiter).
type waker struct {
	mu sync.Mutex
	ch chan struct{}
	f  *os.File // a dup of the engine's eventfd; the engine owns the original
}

// newWaker starts the waiter for fd, or returns an error when the fd cannot
// be registered with Go's poller (Poll then falls back to timed C polls).
func newWaker(fd int) (*waker, error) {
	dup, _, errno := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_DUPFD_CLOEXEC, 0)
	if errno != 0 {
		return nil, errno
	}
	// The eventfd is non-blocking (EFD_NONBLOCK; O_NONBLOCK is shared by
	// dups), so os.NewFile registers it with the poller. Check it did:
	// deadlines work only on pollable files.
	f := os.NewFile(dup, "sluice-wakeup")
	if err := f.SetReadDeadline(time.Time{}); err != nil {
		f.Close()
		return nil, err
	}
	rc, err := f.SyscallConn()
	if err != nil {
		f.Close()
		return nil, err
	}
	w := &waker{ch: make(chan struct{}), f: f}
	go func() {
		// One RawRead for the waker's whole life: its callback runs first
		// and then after each readiness edge, and returns false to wait
		// again. Staying inside one RawRead matters: a new RawRead would reset
		// the poller's readiness and could drop an edge that came in between.
		// The fd is never read here; sluice_engine_poll clears it.
		_ = rc.Read(func(uintptr) bool {
			w.broadcast()
			return false
		})
		// Read returns only once the file is closed (waker.close).
	}()
	return w, nil
}

// wait returns the channel the next wake-up closes.
func (w *waker) wait() <-chan struct{} {
	w.mu.Lock()
	ch := w.ch
	w.mu.Unlock()
	return ch
}

func (w *waker) broadcast() {
	w.mu.Lock()
	close(w.ch)
	w.ch = make(chan struct{})
	w.mu.Unlock()
}

// close ends the waiter and closes the dup (once the waiter let go of it).
func (w *waker) close() { _ = w.f.Close() }
