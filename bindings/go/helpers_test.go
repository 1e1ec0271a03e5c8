package sluice_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync/atomic"
	"testing"
	"time"

	sluice "github.com/sluice-dev/sluice/bindings/go"
	"github.com/sluice-dev/sluice/bindings/go/sluicetest"
)

var nameSeq atomic.Int64

// uniq returns a topic or group name no other test (or run) uses.
func uniq(prefix string) string {
	return fmt.Sprintf("go-%s-%d-%d", prefix, time.Now().UnixNano(), nameSeq.Add(1))
}

// backend is where a test's records live: a fresh mock cluster or the real
// broker of SLUICE_TEST_BOOTSTRAP.
type backend struct {
	name        string
	bootstrap   string
	createTopic func(topic string, partitions int) error
}

func mockBackend(t *testing.T) backend {
	t.Helper()
	mc, err := sluicetest.NewMockCluster(1)
	if err != nil {
		t.Fatalf("mock cluster: %v", err)
	}
	t.Cleanup(mc.Close) // registered first, so it runs after the engines' cleanups
	return backend{name: "mock", bootstrap: mc.Bootstraps(), createTopic: mc.CreateTopic}
}

// kafkaBackend is the real broker. Without SLUICE_TEST_BOOTSTRAP the test
// fails: a suite that silently skipped its real-broker half would pass
// while testing half of what it claims.
func kafkaBackend(t *testing.T) backend {
	t.Helper()
	bs := os.Getenv("SLUICE_TEST_BOOTSTRAP")
	if bs == "" {
		t.Fatal("SLUICE_TEST_BOOTSTRAP is not set: this test needs a real Kafka broker. " +
			"Start one with `SLUICE_KAFKA_DIR=/tmp/kafka scripts/kafka up` and export " +
			"SLUICE_TEST_BOOTSTRAP=<the address it prints>, or run scripts/test, which does both.")
	}
	return backend{name: "kafka", bootstrap: bs, createTopic: func(topic string, partitions int) error {
		return sluicetest.CreateTopic(bs, topic, partitions)
	}}
}

// bothBackends runs f as subtests "mock" and "kafka".
func bothBackends(t *testing.T, f func(t *testing.T, b backend)) {
	t.Run("mock", func(t *testing.T) { t.Parallel(); f(t, mockBackend(t)) })
	t.Run("kafka", func(t *testing.T) { t.Parallel(); f(t, kafkaBackend(t)) })
}

// newTopic creates a fresh topic on b.
func newTopic(t *testing.T, b backend, partitions int) string {
	t.Helper()
	topic := uniq("topic")
	if err := b.createTopic(topic, partitions); err != nil {
		t.Fatalf("create topic %s: %v", topic, err)
	}
	return topic
}

type rec struct {
	key, value []byte
	headers    []sluice.Header
	ts         int64
}

func produce(t *testing.T, bootstrap, topic string, partition int32, recs []rec) {
	t.Helper()
	p, err := sluicetest.NewProducer(bootstrap)
	if err != nil {
		t.Fatalf("producer: %v", err)
	}
	defer p.Close()
	for i, r := range recs {
		if err := p.Send(topic, partition, r.key, r.value, r.headers, r.ts); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	if err := p.Flush(30 * time.Second); err != nil {
		t.Fatalf("flush: %v", err)
	}
}

func produceNumbered(t *testing.T, bootstrap, topic string, partition int32, from, n int) {
	t.Helper()
	recs := make([]rec, n)
	for i := range recs {
		recs[i] = rec{key: []byte(fmt.Sprintf("key-%d", from+i)), value: []byte(fmt.Sprintf("value-%d-%d", partition, from+i))}
	}
	produce(t, bootstrap, topic, partition, recs)
}

// conf is the usual engine configuration of a test, plus extra settings.
func conf(bootstrap, topic, group string, extra ...string) map[string]string {
	m := map[string]string{
		"bootstrap.servers":           bootstrap,
		"topic":                       topic,
		"group.id":                    group,
		"starting.position":           "trim_horizon",
		"batch.window.ms":             "0",
		"retry.backoff.ms":            "50",
		"kafka.session.timeout.ms":    "6000",
		"kafka.heartbeat.interval.ms": "500",
	}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i]] = extra[i+1]
	}
	return m
}

func newEngine(t *testing.T, config map[string]string) *sluice.Engine {
	t.Helper()
	e, err := sluice.NewEngine(config)
	if err != nil {
		t.Fatalf("NewEngine: %v", err)
	}
	t.Cleanup(e.Close)
	return e
}

// seenBatch is a batch copied out for inspection.
type seenBatch struct {
	partition int32
	attempt   uint32
	flags     uint32
	records   []sluice.Record
	event     []byte
}

// contextWithTimeout is a context that ends after d or with the test.
func contextWithTimeout(tb testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	tb.Cleanup(cancel)
	return ctx
}

// pollOne waits up to timeout for one batch.
func pollOne(t *testing.T, e *sluice.Engine, timeout time.Duration) *sluice.Batch {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	b, err := e.Poll(ctx)
	if err != nil {
		t.Fatalf("Poll: %v", err)
	}
	return b
}

func snapshot(t *testing.T, b *sluice.Batch) seenBatch {
	t.Helper()
	recs, err := b.Records()
	if err != nil {
		t.Fatalf("Records: %v", err)
	}
	ev, err := b.Event()
	if err != nil {
		t.Fatalf("Event: %v", err)
	}
	return seenBatch{partition: b.Partition(), attempt: b.Attempt(), flags: b.Flags(), records: recs, event: ev}
}

// pullUntil acks (or, with ack false, fails) batches until n records were
// seen or timeout passed.
func pullUntil(t *testing.T, e *sluice.Engine, n int, timeout time.Duration) []seenBatch {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	var out []seenBatch
	got := 0
	for got < n {
		b, err := e.Poll(ctx)
		if errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("only %d of %d records within %v", got, n, timeout)
		}
		if err != nil {
			t.Fatalf("Poll: %v", err)
		}
		s := snapshot(t, b)
		if err := b.Ack(); err != nil {
			t.Fatalf("Ack: %v", err)
		}
		b.Close()
		got += len(s.records)
		out = append(out, s)
	}
	return out
}

// expectNothing checks that no batch arrives within d.
func expectNothing(t *testing.T, e *sluice.Engine, d time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	b, err := e.Poll(ctx)
	if err == nil {
		recs, _ := b.Records()
		b.Close()
		t.Fatalf("expected no batch, got partition %d with %d records (first offset %d)", b.Partition(), len(recs), recs[0].Offset)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Poll: %v", err)
	}
}
