// Command sluice-overhead measures what the Go binding costs over the C API:
// the same work as bench/bindings/capi_overhead.c, through package sluice.
//
//	go run ./cmd/sluice-overhead --bootstrap B --topic T --records N [--batch-size 100]
//	    [--read copy|views|reuse] [--produce --partitions P --value-size S]
//
// It consumes the topic from the beginning with a fresh group
// (starting.position trim_horizon, batch.window.ms 0) in a no-op loop: Poll,
// read every record through Batch.Records (copies; --read views uses
// UnsafeRecords, --read reuse AppendUnsafeRecords into one reused slice), Ack,
// Close. The clock starts at the first batch (the group
// join is left out, as in the C baseline). The last line is
// records_per_sec=<float>. bench/bindings/run.sh runs it with --read reuse
// ("go") and --read copy ("go-copy"). With --produce it first creates the topic and
// writes N records (key "key-<i>", S-byte values, round robin over P
// partitions).
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"strconv"
	"time"

	sluice "github.com/sluice-dev/sluice/bindings/go"
	"github.com/sluice-dev/sluice/bindings/go/sluicetest"
)

func fail(what string, err error) {
	fmt.Fprintf(os.Stderr, "sluice-overhead: %s: %v\n", what, err)
	os.Exit(1)
}

func main() {
	bootstrap := flag.String("bootstrap", "", "Kafka bootstrap address (required)")
	topic := flag.String("topic", "", "topic to consume (required)")
	records := flag.Int64("records", 0, "records to consume (required)")
	batchSize := flag.Int("batch-size", 100, "batch.size")
	read := flag.String("read", "copy", "how to read the records: copy (Records), views (UnsafeRecords), reuse (AppendUnsafeRecords into one reused slice)")
	produce := flag.Bool("produce", false, "create the topic and produce --records records first")
	partitions := flag.Int("partitions", 4, "partitions, with --produce")
	valueSize := flag.Int("value-size", 100, "value size in bytes, with --produce")
	timeout := flag.Duration("timeout", 10*time.Minute, "give up after this long")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the consume loop to this file")
	flag.Parse()
	if *bootstrap == "" || *topic == "" || *records <= 0 || flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}

	if *produce {
		if err := sluicetest.CreateTopic(*bootstrap, *topic, *partitions); err != nil {
			fail("create topic", err)
		}
		p, err := sluicetest.NewProducer(*bootstrap)
		if err != nil {
			fail("producer", err)
		}
		value := make([]byte, *valueSize)
		for i := range value {
			value[i] = 'v'
		}
		for i := int64(0); i < *records; i++ {
			key := []byte("key-" + strconv.FormatInt(i, 10))
			if err := p.Send(*topic, int32(i%int64(*partitions)), key, value, nil, 0); err != nil {
				fail("send", err)
			}
		}
		if err := p.Flush(2 * time.Minute); err != nil {
			fail("flush", err)
		}
		p.Close()
	}

	e, err := sluice.NewEngine(map[string]string{
		"bootstrap.servers": *bootstrap,
		"topic":             *topic,
		"group.id":          fmt.Sprintf("go-overhead-%d", time.Now().UnixNano()),
		"starting.position": "trim_horizon",
		"batch.window.ms":   "0",
		"batch.size":        strconv.Itoa(*batchSize),
	})
	if err != nil {
		fail("engine", err)
	}
	defer e.Close()
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()

	if *read != "copy" && *read != "views" && *read != "reuse" {
		flag.Usage()
		os.Exit(2)
	}
	var got int64
	var checksum uint64
	var recs []sluice.Record
	var start time.Time
	for got < *records {
		b, err := e.Poll(ctx)
		if err != nil {
			fail(fmt.Sprintf("poll after %d records", got), err)
		}
		if start.IsZero() {
			start = time.Now() // from the first batch: excludes the group join
			if *cpuProfile != "" {
				f, err := os.Create(*cpuProfile)
				if err != nil {
					fail("cpu profile", err)
				}
				if err := pprof.StartCPUProfile(f); err != nil {
					fail("cpu profile", err)
				}
				defer pprof.StopCPUProfile()
			}
		}
		switch *read {
		case "views":
			recs, err = b.UnsafeRecords()
		case "reuse":
			recs, err = b.AppendUnsafeRecords(recs[:0])
		default:
			recs, err = b.Records()
		}
		if err != nil {
			fail("records", err)
		}
		for i := range recs {
			checksum += uint64(recs[i].Offset) + uint64(len(recs[i].Value)) + uint64(len(recs[i].Key))
		}
		if err := b.Ack(); err != nil {
			fail("ack", err)
		}
		b.Close()
		got += int64(len(recs))
	}
	secs := time.Since(start).Seconds()
	if err := e.Stop(10 * time.Second); err != nil {
		fail("stop", err)
	}
	fmt.Printf("records=%d seconds=%.3f checksum=%d\n", got, secs, checksum)
	fmt.Printf("records_per_sec=%.1f\n", float64(got)/secs)
}
