package sluice

/*
#cgo pkg-config: sluice
#include "glue.h"
*/
import "C"

import (
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"unsafe"
)

// TimestampType says what a record's timestamp means (as in Kafka).
type TimestampType int32

const (
	TimestampNone          TimestampType = C.SLUICE_TIMESTAMP_NONE
	TimestampCreateTime    TimestampType = C.SLUICE_TIMESTAMP_CREATE_TIME
	TimestampLogAppendTime TimestampType = C.SLUICE_TIMESTAMP_LOG_APPEND_TIME
)

// String returns "CREATE_TIME" or "LOG_APPEND_TIME" (as in the event), or "NONE".
func (t TimestampType) String() string {
	switch t {
	case TimestampCreateTime:
		return "CREATE_TIME"
	case TimestampLogAppendTime:
		return "LOG_APPEND_TIME"
	case TimestampNone:
		return "NONE"
	default:
		return "TimestampType(" + strconv.Itoa(int(t)) + ")"
	}
}

// Batch flags (Batch.Flags).
const (
	// FlagOversized: one record whose event alone passes batch.max.bytes.
	FlagOversized uint32 = C.SLUICE_BATCH_OVERSIZED
	// FlagRetry: the batch was offered before and failed.
	FlagRetry uint32 = C.SLUICE_BATCH_RETRY
)

// Header is one record header; order and duplicates are kept as produced.
type Header struct {
	Key   string
	Value []byte // nil for a null header value
}

// Record is one Kafka record of a batch.
type Record struct {
	Topic         string
	Partition     int32
	Offset        int64
	Timestamp     int64 // epoch milliseconds; -1 when the broker gave none
	TimestampType TimestampType
	Key           []byte // nil for a null key (not the same as empty)
	Value         []byte // nil for a null value (a tombstone)
	Headers       []Header
}

// Batch is one delivery of a batch of records of one partition
// (sluice_batch_t). Ack or Fail it, then Close it; Close without Ack counts
// as a failure and the same records come again.
//
// A Batch belongs to one goroutine at a time (hand it over through a channel,
// say). Its methods are serialised by a mutex, so even a misplaced concurrent
// Close cannot free memory under a running call; but slices from
// UnsafeEvent and UnsafeRecords point into the batch and must not be used
// after Close. Records and Event return copies that outlive the batch.
//
// Topic, Partition, Attempt, Flags and Len are read once at Poll and stay
// valid after Close.
type Batch struct {
	mu   sync.Mutex
	ptr  *C.sluice_batch_t
	info C.gosluice_batch_info_t // filled by the same C call as the poll

	topic     string
	partition int32
	attempt   uint32
	flags     uint32
	n         int
}

func (b *Batch) init(topic *topicCache) {
	b.topic = topic.get(b.info.topic)
	b.partition = int32(b.info.partition)
	b.attempt = uint32(b.info.attempt)
	b.flags = uint32(b.info.flags)
	b.n = int(b.info.record_count)
	runtime.SetFinalizer(b, (*Batch).Close)
}

// topicCache keeps the Go string of the last topic seen, so that batches of
// the same topic (an engine has one) share it instead of allocating a copy
// per batch. Safe for concurrent use.
type topicCache struct {
	last atomic.Pointer[string]
}

// get returns the Go string for the NUL-terminated C string p.
func (c *topicCache) get(p *C.char) string {
	if s := c.last.Load(); s != nil && cStringEquals(p, *s) {
		return *s
	}
	s := C.GoString(p)
	c.last.Store(&s)
	return s
}

// cStringEquals reports whether the NUL-terminated p holds exactly s. It
// stops at the first difference or NUL, so it never reads past p's end.
func cStringEquals(p *C.char, s string) bool {
	if p == nil {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := *(*byte)(unsafe.Add(unsafe.Pointer(p), i))
		if c == 0 || c != s[i] {
			return false
		}
	}
	return *(*byte)(unsafe.Add(unsafe.Pointer(p), len(s))) == 0
}

// Topic returns the batch's topic.
func (b *Batch) Topic() string { return b.topic }

// Partition returns the batch's partition.
func (b *Batch) Partition() int32 { return b.partition }

// Attempt returns how many times this batch was offered before (0 on the
// first delivery).
func (b *Batch) Attempt() uint32 { return b.attempt }

// Flags returns FlagOversized and FlagRetry bits.
func (b *Batch) Flags() uint32 { return b.flags }

// Len returns the number of records.
func (b *Batch) Len() int { return b.n }

// Ack marks the batch as processed: its offsets (and those of records the
// filter dropped before it) get committed. The batch stays readable until
// Close. Errors: ErrAlreadyCompleted (acked or failed before), ErrRevoked
// (its partition went to another consumer, which gets it again), ErrStopped
// (the engine stopped), ErrInvalidState (the batch is closed).
func (b *Batch) Ack() error { return b.complete(true) }

// Fail marks the batch as failed: the same records come again, in the same
// order, after the retry backoff. Errors as Ack.
func (b *Batch) Fail() error { return b.complete(false) }

func (b *Batch) complete(ok bool) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ptr == nil {
		return errBatchClosed()
	}
	var err error
	if ok {
		err = takeError(C.sluice_batch_ack(b.ptr))
	} else {
		err = takeError(C.sluice_batch_fail(b.ptr))
	}
	runtime.KeepAlive(b)
	return err
}

// Close frees the batch; one neither acked nor failed counts as failed. Safe
// to call more than once. A finalizer closes a forgotten batch, late: until
// then its partition is stuck, so always Close.
func (b *Batch) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.ptr == nil {
		return
	}
	C.sluice_batch_destroy(b.ptr)
	b.ptr = nil
	b.info = C.gosluice_batch_info_t{}
	runtime.SetFinalizer(b, nil)
}

func errBatchClosed() error {
	return &Error{Code: CodeInvalidState, Message: "the batch is closed", Offset: -1}
}

// Event returns a copy of the batch's event, the exact Lambda MSK event JSON
// (docs/EVENT.md). The event is encoded on the first call.
func (b *Batch) Event() ([]byte, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	v, err := b.eventLocked()
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(v))
	copy(out, v)
	return out, nil
}

// UnsafeEvent returns the event without copying: the slice points into the
// batch's C memory and is valid only until Close. Do not write to it.
func (b *Batch) UnsafeEvent() ([]byte, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.eventLocked()
}

func (b *Batch) eventLocked() ([]byte, error) {
	if b.ptr == nil {
		return nil, errBatchClosed()
	}
	var data *C.uint8_t
	var n C.uint64_t
	if err := takeError(C.sluice_batch_event(b.ptr, &data, &n)); err != nil {
		return nil, err
	}
	runtime.KeepAlive(b)
	return unsafe.Slice((*byte)(unsafe.Pointer(data)), int(n)), nil
}

// Records returns the records in offset order, copied into Go memory (valid
// after Close). No cgo call: the record and header arrays came with the
// batch; the bytes are copied into one allocation shared by the batch's
// records (keys, values and header values are capacity-limited subslices, so
// appending to one never writes into another).
func (b *Batch) Records() ([]Record, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.appendRecords(nil, true)
}

// AppendRecords is Records appending to dst: pass a slice kept from an
// earlier batch (buf[:0]) to reuse its Record array. The bytes are still
// copied into a new allocation per call.
func (b *Batch) AppendRecords(dst []Record) ([]Record, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.appendRecords(dst, true)
}

// UnsafeRecords returns the records without copying any bytes: Key, Value,
// header keys and values point into the batch's C memory and are valid only
// until Close (use after Close reads freed memory). Do not write to them.
func (b *Batch) UnsafeRecords() ([]Record, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.appendRecords(nil, false)
}

// AppendUnsafeRecords is UnsafeRecords appending to dst. With dst reused
// from batch to batch (buf[:0]) and records without headers it allocates
// nothing: the cheapest way to read a batch, for loops that are done with
// the records before Close.
func (b *Batch) AppendUnsafeRecords(dst []Record) ([]Record, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.appendRecords(dst, false)
}

func (b *Batch) appendRecords(dst []Record, copyBytes bool) ([]Record, error) {
	if b.ptr == nil {
		return dst, errBatchClosed()
	}
	recs := unsafe.Slice(b.info.records, int(b.info.record_count))
	hdrs := unsafe.Slice(b.info.headers, int(b.info.header_count))

	// Copies: one allocation for every byte of the batch. The header names
	// go at its end, behind every capacity-limited key and value slice, so
	// no slice handed out reaches them and strings over them stay immutable.
	var arena, names []byte
	if copyBytes {
		size, nameSize := 0, 0
		for i := range recs {
			size += int(recs[i].key_len) + int(recs[i].value_len)
		}
		for i := range hdrs {
			size += int(hdrs[i].value_len)
			nameSize += int(hdrs[i].name_len)
		}
		all := make([]byte, size+nameSize)
		arena = all[:0:size]
		names = all[size:size]
	}

	var headers []Header
	if len(hdrs) > 0 {
		headers = make([]Header, len(hdrs))
		for i := range hdrs {
			h := &hdrs[i]
			nb := unsafe.Slice((*byte)(unsafe.Pointer(h.name)), int(h.name_len))
			if copyBytes {
				start := len(names)
				names = append(names, nb...)
				nb = names[start:]
			}
			// A copy's name is never handed out as a slice, so a string
			// over it is immutable; a view's points into the batch.
			headers[i].Key = unsafe.String(unsafe.SliceData(nb), len(nb))
			headers[i].Value, arena = takeBytes(h.value, h.value_len, arena, copyBytes)
		}
	}

	n := len(dst)
	dst = slices.Grow(dst, len(recs))[:n+len(recs)]
	out := dst[n:]
	for i := range recs {
		r := &recs[i]
		first, count := int(r.header_first), int(r.header_count)
		if first+count > len(headers) {
			return dst[:n], newError(CodeInternal, "record %d: headers [%d, %d) out of range (%d headers)", i, first, first+count, len(headers))
		}
		o := &out[i]
		o.Topic = b.topic
		o.Partition = int32(r.partition)
		o.Offset = int64(r.offset)
		o.Timestamp = int64(r.timestamp)
		o.TimestampType = TimestampType(r.timestamp_type)
		o.Key, arena = takeBytes(r.key, r.key_len, arena, copyBytes)
		o.Value, arena = takeBytes(r.value, r.value_len, arena, copyBytes)
		o.Headers = nil
		if count > 0 {
			o.Headers = headers[first : first+count : first+count]
		}
	}
	runtime.KeepAlive(b)
	return dst, nil
}

// takeBytes returns the n bytes at p: a view, or a capacity-limited copy
// appended to arena (which has room: it never reallocates). A NULL p (a
// Kafka null) gives nil; an empty non-NULL one a non-nil empty slice.
func takeBytes(p *C.uint8_t, n C.uint32_t, arena []byte, copyBytes bool) ([]byte, []byte) {
	if p == nil {
		return nil, arena
	}
	v := unsafe.Slice((*byte)(unsafe.Pointer(p)), int(n))
	if !copyBytes {
		return v, arena
	}
	start := len(arena)
	arena = append(arena, v...)
	return arena[start:len(arena):len(arena)], arena
}

// cStringAt views b (which must hold a NUL) as a C string; for the
// package's own tests, which cannot name C types.
func cStringAt(b []byte) *C.char { return (*C.char)(unsafe.Pointer(unsafe.SliceData(b))) }
