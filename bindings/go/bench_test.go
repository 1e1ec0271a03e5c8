package sluice_test

import (
	"testing"
	"time"

	sluice "github.com/sluice-dev/sluice/bindings/go"
	"github.com/sluice-dev/sluice/bindings/go/sluicetest"
)

// benchBatch returns one held batch of 100 records (10-byte keys, 100-byte
// values, one header each) from a mock cluster.
func benchBatch(b *testing.B) *sluice.Batch {
	b.Helper()
	mc, err := sluicetest.NewMockCluster(1)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(mc.Close)
	topic := uniq("bench")
	if err := mc.CreateTopic(topic, 1); err != nil {
		b.Fatal(err)
	}
	p, err := sluicetest.NewProducer(mc.Bootstraps())
	if err != nil {
		b.Fatal(err)
	}
	value := make([]byte, 100)
	for i := 0; i < 100; i++ {
		if err := p.Send(topic, 0, []byte("key-000000"), value, []sluice.Header{{Key: "h", Value: []byte("v")}}, 0); err != nil {
			b.Fatal(err)
		}
	}
	if err := p.Flush(10 * time.Second); err != nil {
		b.Fatal(err)
	}
	p.Close()
	e, err := sluice.NewEngine(map[string]string{"bootstrap.servers": mc.Bootstraps(), "topic": topic,
		"group.id": uniq("bench"), "starting.position": "trim_horizon", "batch.size": "100", "batch.window.ms": "5000"})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(e.Close)
	batch, err := e.Poll(contextWithTimeout(b, 30*time.Second))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(batch.Close)
	if batch.Len() != 100 {
		b.Fatalf("%d records", batch.Len())
	}
	return batch
}

// benchRead times read on one held 100-record batch.
func benchRead(b *testing.B, read func(*sluice.Batch) error) {
	batch := benchBatch(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := read(batch); err != nil {
			b.Fatal(err)
		}
	}
}

// Records of a 100-record batch, copied into Go memory.
func BenchmarkRecords(b *testing.B) {
	benchRead(b, func(batch *sluice.Batch) error {
		_, err := batch.Records()
		return err
	})
}

// Records of a 100-record batch as zero-copy views.
func BenchmarkUnsafeRecords(b *testing.B) {
	benchRead(b, func(batch *sluice.Batch) error {
		_, err := batch.UnsafeRecords()
		return err
	})
}

// Zero-copy views into a reused slice: no allocation for header-less records.
func BenchmarkAppendUnsafeRecords(b *testing.B) {
	var buf []sluice.Record
	benchRead(b, func(batch *sluice.Batch) (err error) {
		buf, err = batch.AppendUnsafeRecords(buf[:0])
		return err
	})
}
