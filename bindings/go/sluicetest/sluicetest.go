// Package sluicetest wraps sluice_mock.h, sluice's UNSTABLE test support, for
// Go tests: librdkafka's in-process mock cluster (a real Kafka protocol
// endpoint on loopback, with fault injection), topic creation and a simple
// producer that work against any bootstrap address (mock or real broker).
//
// Like the C header, this package has no compatibility promise: it may change
// with any release of sluice.
package sluicetest

/*
#cgo pkg-config: sluice
#include <stdlib.h>
#include "sluice.h"
#include "sluice_mock.h"
*/
import "C"

import (
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync"
	"time"
	"unsafe"

	sluice "github.com/sluice-dev/sluice/bindings/go"
)

// takeError converts a C error into a *sluice.Error and frees it.
func takeError(cerr *C.sluice_error_t) error {
	if cerr == nil {
		return nil
	}
	e := &sluice.Error{
		Code:      sluice.Code(C.sluice_error_code(cerr)),
		Message:   C.GoString(C.sluice_error_message(cerr)),
		Key:       C.GoString(C.sluice_error_key(cerr)),
		Path:      C.GoString(C.sluice_error_path(cerr)),
		Offset:    int64(C.sluice_error_offset(cerr)),
		Retriable: C.sluice_error_retriable(cerr) != 0,
	}
	C.sluice_error_destroy(cerr)
	return e
}

// cstring copies s into C memory (free it), refusing a NUL byte, which
// would cut the C string short.
func cstring(what, s string) (*C.char, error) {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return nil, &sluice.Error{Code: sluice.CodeInvalidArgument, Message: what + " contains a NUL byte", Offset: int64(i)}
	}
	return C.CString(s), nil
}

func closedError(what string) error {
	return &sluice.Error{Code: sluice.CodeInvalidState, Message: what + " is closed", Offset: -1}
}

func millis(d time.Duration) C.int32_t {
	return C.int32_t(min(max(d.Milliseconds(), 0), math.MaxInt32))
}

// MockCluster is an in-process Kafka cluster (librdkafka's mock cluster).
// Its methods are safe from several goroutines. Close it only after every
// engine using it, and every batch they handed out, is closed (a live batch
// keeps its engine's Kafka client alive). With testing's Cleanup, register
// the cluster's Close before the engines' so that it runs after them.
type MockCluster struct {
	mu         sync.Mutex
	ptr        *C.sluice_mock_cluster_t
	bootstraps string
}

// NewMockCluster starts a mock cluster of brokers brokers (1..16).
func NewMockCluster(brokers int) (*MockCluster, error) {
	if brokers < 1 || brokers > 16 {
		return nil, &sluice.Error{Code: sluice.CodeInvalidArgument, Message: fmt.Sprintf("brokers must be 1..16, not %d", brokers), Offset: -1}
	}
	var ptr *C.sluice_mock_cluster_t
	if err := takeError(C.sluice_mock_cluster_new(C.int32_t(brokers), &ptr)); err != nil {
		return nil, err
	}
	m := &MockCluster{ptr: ptr, bootstraps: C.GoString(C.sluice_mock_cluster_bootstraps(ptr))}
	runtime.SetFinalizer(m, (*MockCluster).Close)
	return m, nil
}

// Bootstraps returns the bootstrap address list ("127.0.0.1:port,...").
func (m *MockCluster) Bootstraps() string { return m.bootstraps }

// CreateTopic creates topic with partitions partitions (1..1000).
func (m *MockCluster) CreateTopic(topic string, partitions int) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ptr == nil {
		return closedError("the mock cluster")
	}
	ct, err := cstring("the topic", topic)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(ct))
	return takeError(C.sluice_mock_topic_create(m.ptr, ct, C.int32_t(partitions)))
}

// PushRequestErrors makes the next count requests of Kafka API apiKey (1 =
// Fetch, 8 = OffsetCommit, ...) fail with Kafka error code errorCode, in
// every broker.
func (m *MockCluster) PushRequestErrors(apiKey int16, count int, errorCode int32) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ptr == nil {
		return closedError("the mock cluster")
	}
	return takeError(C.sluice_mock_push_request_errors(m.ptr, C.int16_t(apiKey), C.int32_t(count), C.int32_t(errorCode)))
}

// SetBrokerUp takes broker brokerID (1-based) down (up false) or brings it back.
func (m *MockCluster) SetBrokerUp(brokerID int32, up bool) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ptr == nil {
		return closedError("the mock cluster")
	}
	var u C.int32_t
	if up {
		u = 1
	}
	return takeError(C.sluice_mock_broker_set_up(m.ptr, C.int32_t(brokerID), u))
}

// Close stops and frees the cluster (engines and batches first: see
// MockCluster). Safe to call more than once.
func (m *MockCluster) Close() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ptr == nil {
		return
	}
	C.sluice_mock_cluster_destroy(m.ptr)
	m.ptr = nil
	runtime.SetFinalizer(m, nil)
}

// CreateTopic creates topic with partitions partitions (replication factor
// 1) through the admin API of the cluster at bootstrap, waiting up to 30 s.
// An existing topic is not an error.
func CreateTopic(bootstrap, topic string, partitions int) error {
	cb, err := cstring("the bootstrap address", bootstrap)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cb))
	ct, err := cstring("the topic", topic)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(ct))
	return takeError(C.sluice_topic_create(cb, ct, C.int32_t(partitions), 30000))
}

// Producer is a simple producer (acks=all, no idempotence) for tests and
// demos, against any bootstrap address. Its methods are serialised by a
// mutex (the C producer is not thread-safe).
type Producer struct {
	mu     sync.Mutex
	ptr    *C.sluice_producer_t
	topics map[string]*C.char // topic names as C strings, freed at Close
}

// NewProducer connects a producer to bootstrap.
func NewProducer(bootstrap string) (*Producer, error) {
	cb, err := cstring("the bootstrap address", bootstrap)
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(cb))
	var ptr *C.sluice_producer_t
	if err := takeError(C.sluice_producer_new(cb, &ptr)); err != nil {
		return nil, err
	}
	p := &Producer{ptr: ptr, topics: map[string]*C.char{}}
	runtime.SetFinalizer(p, (*Producer).Close)
	return p, nil
}

var emptyByte byte

// ptrOf returns a pointer to b's bytes for the duration of a call: nil for a
// nil slice (null), non-nil for an empty one.
func ptrOf(b []byte) *C.uint8_t {
	if b == nil {
		return nil
	}
	if len(b) == 0 {
		return (*C.uint8_t)(unsafe.Pointer(&emptyByte))
	}
	return (*C.uint8_t)(unsafe.Pointer(unsafe.SliceData(b)))
}

// Send queues one record for topic/partition (partition -1: by key hash).
// A nil key or value is a null key/value; a header with a nil Value has a
// null value. timestampMs 0 means now. All bytes are copied.
func (p *Producer) Send(topic string, partition int32, key, value []byte, headers []sluice.Header, timestampMs int64) error {
	for _, b := range [][]byte{key, value} {
		if len(b) > math.MaxUint32 {
			return &sluice.Error{Code: sluice.CodeInvalidArgument, Message: "key or value too long", Offset: -1}
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ptr == nil {
		return closedError("the producer")
	}
	ct, ok := p.topics[topic]
	if !ok {
		var err error
		if ct, err = cstring("the topic", topic); err != nil {
			return err
		}
		p.topics[topic] = ct
	}
	// The header array is Go memory holding pointers to Go memory (names
	// and values): allowed for the call once those are pinned.
	var pin runtime.Pinner
	defer pin.Unpin()
	var hs []C.sluice_header_t
	if len(headers) > 0 {
		hs = make([]C.sluice_header_t, len(headers))
		for i, h := range headers {
			if len(h.Key) > 0 {
				np := unsafe.StringData(h.Key)
				pin.Pin(np)
				hs[i].name = (*C.char)(unsafe.Pointer(np))
			} else {
				hs[i].name = (*C.char)(unsafe.Pointer(&emptyByte))
			}
			hs[i].name_len = C.uint32_t(len(h.Key))
			if vp := ptrOf(h.Value); vp != nil {
				pin.Pin(vp)
				hs[i].value = vp
				hs[i].value_len = C.uint32_t(len(h.Value))
			}
		}
	}
	var hp *C.sluice_header_t
	if len(hs) > 0 {
		hp = &hs[0]
	}
	err := takeError(C.sluice_producer_send(p.ptr, ct, C.int32_t(partition),
		ptrOf(key), C.uint32_t(len(key)), ptrOf(value), C.uint32_t(len(value)),
		hp, C.uint32_t(len(hs)), C.int64_t(timestampMs)))
	runtime.KeepAlive(key)
	runtime.KeepAlive(value)
	runtime.KeepAlive(headers)
	return err
}

// Flush waits up to timeout until every queued record is acknowledged by the
// broker: ErrTimeout otherwise, ErrKafka if a delivery failed.
func (p *Producer) Flush(timeout time.Duration) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ptr == nil {
		return closedError("the producer")
	}
	return takeError(C.sluice_producer_flush(p.ptr, millis(timeout)))
}

// Close flushes (up to 10 s) and frees the producer. Safe to call more than once.
func (p *Producer) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ptr == nil {
		return
	}
	C.sluice_producer_destroy(p.ptr)
	p.ptr = nil
	for _, c := range p.topics {
		C.free(unsafe.Pointer(c))
	}
	p.topics = nil
	runtime.SetFinalizer(p, nil)
}
