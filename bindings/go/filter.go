package sluice

/*
#cgo pkg-config: sluice
#include "glue.h"
*/
import "C"

import (
	"runtime"
	"sync"
	"unsafe"
)

// Filter is a compiled set of ESM filter patterns (docs/FILTERS.md), the
// language of the "filter.patterns" setting, for matching records outside an
// engine (sluice_filter_t).
//
// Match is safe from several goroutines but serialised (the C filter keeps
// one parser); use one Filter per goroutine to match in parallel.
type Filter struct {
	mu  sync.Mutex
	ptr *C.sluice_filter_t
}

// NewFilter compiles patterns: a JSON array of up to 10 patterns (each a JSON
// object, or a string holding one), ORed. A rejected pattern returns an
// *Error matching ErrInvalidPattern with Offset (byte offset in patterns)
// and Path (a JSON path into the pattern).
func NewFilter(patterns string) (*Filter, error) {
	// The bytes are only read during the call: pass the Go string's memory
	// (never NULL, which the C side takes for a missing argument: "" is an
	// empty pattern text, rejected as a pattern).
	p := unsafe.Pointer(unsafe.StringData(patterns))
	if len(patterns) == 0 {
		p = unsafe.Pointer(&emptyByte)
	}
	var ptr *C.sluice_filter_t
	err := takeError(C.sluice_filter_new((*C.char)(p), C.uint64_t(len(patterns)), &ptr))
	runtime.KeepAlive(patterns)
	if err != nil {
		return nil, err
	}
	f := &Filter{ptr: ptr}
	runtime.SetFinalizer(f, (*Filter).Close)
	return f, nil
}

// bytesArg returns a C view of b for the duration of a call: NULL for a nil
// slice (a null key/value), a non-NULL pointer for an empty one.
func bytesArg(b []byte) *C.uint8_t {
	if b == nil {
		return nil
	}
	if len(b) == 0 {
		return (*C.uint8_t)(unsafe.Pointer(&emptyByte))
	}
	return (*C.uint8_t)(unsafe.Pointer(unsafe.SliceData(b)))
}

var emptyByte byte

// Match reports whether any pattern matches a record with this key and
// value; nil means a null key or value. It never fails on any bytes; it
// returns an error only for a closed filter.
func (f *Filter) Match(key, value []byte) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.ptr == nil {
		return false, &Error{Code: CodeInvalidState, Message: "the filter is closed", Offset: -1}
	}
	var out C.int32_t
	err := takeError(C.sluice_filter_match(f.ptr, bytesArg(key), C.uint64_t(len(key)),
		bytesArg(value), C.uint64_t(len(value)), &out))
	runtime.KeepAlive(key)
	runtime.KeepAlive(value)
	runtime.KeepAlive(f)
	if err != nil {
		return false, err
	}
	return out != 0, nil
}

// Close frees the filter. Safe to call more than once.
func (f *Filter) Close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.ptr == nil {
		return
	}
	C.sluice_filter_destroy(f.ptr)
	f.ptr = nil
	runtime.SetFinalizer(f, nil)
}
