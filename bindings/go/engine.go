package sluice

/*
#cgo pkg-config: sluice
#include "glue.h"
*/
import "C"

import (
	"context"
	"encoding/json"
	"math"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
	"unsafe"
)

// fallbackSlice is how long one blocking sluice_engine_poll may last when
// the engine has no wake-up fd (not Linux): Poll then checks its context
// between slices.
const fallbackSlice = 100 * time.Millisecond

// Engine is a running sluice engine: a consumer group member of one topic
// that hands out batches (sluice_engine_t).
//
// All methods are safe to call from several goroutines at once. Close frees
// the engine; call Stop first to bound how long Close may take.
type Engine struct {
	// mu guards ptr: every C call on the engine holds it for reading; Close
	// takes it for writing to set ptr to nil before freeing it.
	mu  sync.RWMutex
	ptr *C.sluice_engine_t
	// stopMu serialises sluice_engine_stop, which the core does not make safe
	// against itself (a second concurrent call races on the stopped flag).
	stopMu sync.Mutex
	// w wakes blocked Polls when the engine's wake-up fd turns readable; nil
	// when there is no fd, and then Poll blocks in C in short slices.
	w *waker
	// done is closed once Stop returned or Close began, so that blocked
	// Polls look once more and return ErrStopped.
	done     chan struct{}
	doneOnce sync.Once
	// topic shares one Go string of the topic among the engine's batches.
	topic topicCache
}

// NewEngine creates an engine from string settings (keys and ranges:
// docs/CONFIGURATION.md; "kafka."-prefixed keys go to librdkafka) and starts
// it: it joins the group, subscribes to "topic" and begins fetching.
// "bootstrap.servers", "topic" and "group.id" are required.
//
// Settings are applied in sorted key order, so with several bad settings the
// error is always about the same one. A bad key or value returns an *Error
// (ErrUnknownKey, ErrInvalidValue, ErrInvalidPattern) naming it in Key.
func NewEngine(config map[string]string) (*Engine, error) {
	keys := make([]string, 0, len(config))
	for k := range config {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	// C strings end at the first NUL: a key or value holding one would be
	// cut short silently, so refuse it.
	for _, k := range keys {
		if i := strings.IndexByte(k, 0); i >= 0 {
			return nil, &Error{Code: CodeInvalidArgument, Message: "a configuration key contains a NUL byte", Key: k[:i], Offset: int64(i)}
		}
		if i := strings.IndexByte(config[k], 0); i >= 0 {
			return nil, &Error{Code: CodeInvalidValue, Message: "the value contains a NUL byte", Key: k, Offset: int64(i)}
		}
	}
	n := len(keys)
	// The arrays of C strings live in C memory: a Go array holding C
	// pointers would be fine too, but C memory keeps the rules obvious.
	ptrSize := C.size_t(unsafe.Sizeof((*C.char)(nil)))
	ckeys := (**C.char)(C.calloc(C.size_t(n+1), ptrSize))
	cvals := (**C.char)(C.calloc(C.size_t(n+1), ptrSize))
	ks := unsafe.Slice(ckeys, n+1)
	vs := unsafe.Slice(cvals, n+1)
	defer func() {
		for i := 0; i < n; i++ {
			C.free(unsafe.Pointer(ks[i]))
			C.free(unsafe.Pointer(vs[i]))
		}
		C.free(unsafe.Pointer(ckeys))
		C.free(unsafe.Pointer(cvals))
	}()
	for i, k := range keys {
		ks[i] = C.CString(k)
		vs[i] = C.CString(config[k])
	}
	var ptr *C.sluice_engine_t
	if err := takeError(C.gosluice_engine_new(ckeys, cvals, C.int32_t(n), &ptr)); err != nil {
		return nil, err
	}
	e := &Engine{ptr: ptr, done: make(chan struct{})}
	var fd C.int32_t
	// Without a pollable wake-up fd (not Linux: SLUICE_ERR_INVALID_STATE)
	// e.w stays nil and Poll blocks in C in short slices instead.
	if takeError(C.sluice_engine_wakeup_fd(ptr, &fd)) == nil {
		e.w, _ = newWaker(int(fd))
	}
	runtime.SetFinalizer(e, (*Engine).Close)
	return e, nil
}

// Poll waits for the next batch and returns it; the caller owns it and must
// Close it (a batch closed without Ack counts as failed and comes again).
//
// Poll returns when a batch is ready, when ctx ends (ctx.Err()), or when the
// engine is stopped or closed (an *Error matching ErrStopped). It never
// returns (nil, nil). It blocks no OS thread while waiting on Linux: it waits
// on the engine's wake-up fd through Go's network poller and crosses into C
// only to take a ready batch. Any number of goroutines may Poll at once; the
// engine still hands out at most one batch per partition at a time.
func (e *Engine) Poll(ctx context.Context) (*Batch, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		var wake <-chan struct{}
		timeout := int32(0)
		if e.w != nil {
			wake = e.w.wait() // taken before looking, so no wake-up is missed
		} else {
			timeout = int32(fallbackSlice / time.Millisecond)
			if d, ok := ctx.Deadline(); ok {
				if left := time.Until(d); left < fallbackSlice {
					timeout = int32(max(left/time.Millisecond, 0))
				}
			}
		}
		b, err := e.pollOnce(timeout)
		if err != nil || b != nil {
			return b, err
		}
		if wake == nil {
			continue
		}
		select {
		case <-wake:
		case <-e.done:
			// Look once more: the C poll now reports the stop (or the
			// handle is gone). Stop closes done only after the engine has
			// stopped, so this does not spin.
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// TryPoll returns a ready batch without waiting, or (nil, nil) when none is
// ready.
func (e *Engine) TryPoll() (*Batch, error) { return e.pollOnce(0) }

func (e *Engine) pollOnce(timeoutMs int32) (*Batch, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.ptr == nil {
		return nil, errEngineClosed()
	}
	b := &Batch{}
	err := takeError(C.gosluice_engine_poll(e.ptr, C.int32_t(timeoutMs), &b.ptr, &b.info))
	runtime.KeepAlive(e)
	if err != nil || b.ptr == nil {
		return nil, err
	}
	b.init(&e.topic)
	return b, nil
}

// StatsJSON returns the engine's counters as one JSON object (the names of
// Lambda's metrics: PolledEventCount, ..., OffsetLag, MaxOffsetLag, plus
// sluice's own InFlightBatches, BufferedRecords, ...).
func (e *Engine) StatsJSON() ([]byte, error) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.ptr == nil {
		return nil, errEngineClosed()
	}
	var out *C.char
	var n C.uint64_t
	if err := takeError(C.sluice_engine_stats(e.ptr, &out, &n)); err != nil {
		return nil, err
	}
	runtime.KeepAlive(e)
	js := C.GoBytes(unsafe.Pointer(out), C.int(n))
	C.sluice_free(unsafe.Pointer(out))
	return js, nil
}

// Stats returns StatsJSON decoded: numbers are float64, OffsetLag is a
// map[string]any keyed "topic-partition".
func (e *Engine) Stats() (map[string]any, error) {
	js, err := e.StatsJSON()
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(js, &m); err != nil {
		return nil, newError(CodeInternal, "stats JSON does not parse: %v", err)
	}
	return m, nil
}

// Stop stops the engine: no new batches are handed out; batches already out
// may still be acked or failed until timeout passes; then every acknowledged
// offset is committed, the consumer leaves the group and the engine's
// threads end. Returns an *Error matching ErrTimeout if batches were still
// unacknowledged at the deadline (they were not committed and will come
// again; the engine is stopped all the same). Blocked Polls return
// ErrStopped. A second Stop, or Stop after Close, does nothing and returns nil.
func (e *Engine) Stop(timeout time.Duration) error {
	e.stopMu.Lock()
	defer e.stopMu.Unlock()
	e.mu.RLock()
	if e.ptr == nil {
		e.mu.RUnlock()
		return nil
	}
	ms := timeout.Milliseconds()
	ms = min(max(ms, 0), math.MaxInt32)
	err := takeError(C.sluice_engine_stop(e.ptr, C.int32_t(ms)))
	runtime.KeepAlive(e)
	e.mu.RUnlock()
	e.signalDone()
	return err
}

// Close stops the engine if needed (as Stop(10 * time.Second)) and frees it.
// It is safe to call more than once and from several goroutines; it waits
// for C calls in progress on the engine. Batches still open stay readable
// until closed; acking them returns ErrStopped. A finalizer calls Close on an
// engine that becomes unreachable, but do not rely on it: it runs late, if
// at all, and may block the finalizer goroutine for the stop.
func (e *Engine) Close() {
	e.mu.Lock()
	p := e.ptr
	e.ptr = nil
	e.mu.Unlock()
	if p == nil {
		return
	}
	runtime.SetFinalizer(e, nil)
	e.signalDone()
	if e.w != nil {
		e.w.close()
	}
	// stopMu: a Stop still running holds the read lock, so it is over by now;
	// taking stopMu too keeps the order obvious.
	e.stopMu.Lock()
	C.sluice_engine_destroy(p)
	e.stopMu.Unlock()
}

func (e *Engine) signalDone() { e.doneOnce.Do(func() { close(e.done) }) }

func errEngineClosed() error {
	return &Error{Code: CodeStopped, Message: "the engine is closed", Offset: -1}
}

// ConfigDefault returns the default value of a configuration key ("" for
// keys without one), or an *Error matching ErrUnknownKey.
func ConfigDefault(key string) (string, error) {
	if i := strings.IndexByte(key, 0); i >= 0 {
		return "", &Error{Code: CodeInvalidArgument, Message: "the key contains a NUL byte", Key: key[:i], Offset: int64(i)}
	}
	ckey := C.CString(key)
	defer C.free(unsafe.Pointer(ckey))
	var out *C.char
	if err := takeError(C.gosluice_conf_default(ckey, &out)); err != nil {
		return "", err
	}
	s := C.GoString(out)
	C.sluice_free(unsafe.Pointer(out))
	return s, nil
}
