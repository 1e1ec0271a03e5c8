package sluice_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"sync"
	"testing"
	"time"

	sluice "github.com/sluice-dev/sluice/bindings/go"
)

// The Lambda event as its consumers read it (aws-lambda-go events.KafkaEvent).
type kafkaEvent struct {
	EventSource      string                       `json:"eventSource"`
	EventSourceARN   string                       `json:"eventSourceArn"`
	BootstrapServers string                       `json:"bootstrapServers"`
	Records          map[string][]kafkaEventEntry `json:"records"`
}

type kafkaEventEntry struct {
	Topic         string              `json:"topic"`
	Partition     int32               `json:"partition"`
	Offset        int64               `json:"offset"`
	Timestamp     int64               `json:"timestamp"`
	TimestampType string              `json:"timestampType"`
	Key           *string             `json:"key"`
	Value         *string             `json:"value"`
	Headers       []map[string][]int8 `json:"headers"`
}

func knownRecords() []rec {
	return []rec{
		{key: []byte("k0"), value: []byte(`{"a":1}`), ts: 1700000000000, headers: []sluice.Header{
			{Key: "h1", Value: []byte("v1")}, {Key: "h1", Value: nil}, {Key: "bin", Value: []byte{0xff, 0x00, 0x80, 0x7f}}}},
		{key: nil, value: []byte("no key"), ts: 1700000000001},
		{key: []byte("k2"), value: []byte{}, ts: 1700000000002},
		{key: []byte("k3"), value: nil, ts: 1700000000003, headers: []sluice.Header{{Key: "", Value: []byte("empty name")}}},
		{key: []byte{}, value: bytes.Repeat([]byte{0, 1, 2, 0xfe}, 300), ts: 1700000000004},
	}
}

func b64(b []byte) *string {
	if b == nil {
		return nil
	}
	s := base64.StdEncoding.EncodeToString(b)
	return &s
}

func signed(b []byte) []int8 {
	out := make([]int8, len(b))
	for i, c := range b {
		out[i] = int8(c)
	}
	return out
}

func sameBytes(a, b []byte) bool { return (a == nil) == (b == nil) && bytes.Equal(a, b) }

// checkKnown compares what a batch delivered with knownRecords.
func checkKnown(t *testing.T, bk backend, topic string, s seenBatch) {
	t.Helper()
	want := knownRecords()
	if len(s.records) != len(want) {
		t.Fatalf("%d records, want %d", len(s.records), len(want))
	}
	for i, r := range s.records {
		w := want[i]
		if r.Topic != topic || r.Partition != 0 || r.Offset != int64(i) || r.Timestamp != w.ts || r.TimestampType != sluice.TimestampCreateTime {
			t.Errorf("record %d: %s/%d@%d ts %d %v", i, r.Topic, r.Partition, r.Offset, r.Timestamp, r.TimestampType)
		}
		if !sameBytes(r.Key, w.key) {
			t.Errorf("record %d: key %q (nil %v), want %q (nil %v)", i, r.Key, r.Key == nil, w.key, w.key == nil)
		}
		if !sameBytes(r.Value, w.value) {
			t.Errorf("record %d: value %q (nil %v), want %q (nil %v)", i, r.Value, r.Value == nil, w.value, w.value == nil)
		}
		if len(r.Headers) != len(w.headers) {
			t.Fatalf("record %d: %d headers, want %d", i, len(r.Headers), len(w.headers))
		}
		for j, h := range r.Headers {
			if h.Key != w.headers[j].Key || !sameBytes(h.Value, w.headers[j].Value) {
				t.Errorf("record %d header %d: %q=%q, want %q=%q", i, j, h.Key, h.Value, w.headers[j].Key, w.headers[j].Value)
			}
		}
	}

	var ev kafkaEvent
	if err := json.Unmarshal(s.event, &ev); err != nil {
		t.Fatalf("event does not parse: %v\n%s", err, s.event)
	}
	if ev.EventSource != "SelfManagedKafka" || ev.BootstrapServers != bk.bootstrap || ev.EventSourceARN != "" {
		t.Errorf("event header: %+v", ev)
	}
	entries, ok := ev.Records[topic+"-0"]
	if !ok || len(ev.Records) != 1 || len(entries) != len(want) {
		t.Fatalf("event records: %s", s.event)
	}
	for i, en := range entries {
		w := want[i]
		if en.Topic != topic || en.Partition != 0 || en.Offset != int64(i) || en.Timestamp != w.ts || en.TimestampType != "CREATE_TIME" {
			t.Errorf("event record %d: %+v", i, en)
		}
		if !reflect.DeepEqual(en.Key, b64(w.key)) || !reflect.DeepEqual(en.Value, b64(w.value)) {
			t.Errorf("event record %d: key %v value %v", i, en.Key, en.Value)
		}
		if len(en.Headers) != len(w.headers) {
			t.Fatalf("event record %d: headers %v", i, en.Headers)
		}
		for j, h := range en.Headers {
			wh := w.headers[j]
			got, ok := h[wh.Key]
			if len(h) != 1 || !ok {
				t.Errorf("event record %d header %d: %v", i, j, h)
				continue
			}
			if wh.Value == nil {
				continue // a null header value: the event's form is EVENT.md's business
			}
			if !reflect.DeepEqual(got, signed(wh.Value)) {
				t.Errorf("event record %d header %d: %v, want signed %v", i, j, got, signed(wh.Value))
			}
		}
	}
}

// Consume known records and check both the records and the event.
func TestConsumeKnownRecords(t *testing.T) {
	t.Parallel()
	bothBackends(t, func(t *testing.T, bk backend) {
		topic := newTopic(t, bk, 1)
		produce(t, bk.bootstrap, topic, 0, knownRecords())
		e := newEngine(t, conf(bk.bootstrap, topic, uniq("known"), "batch.size", "5", "batch.window.ms", "5000"))
		b := pollOne(t, e, 30*time.Second)
		defer b.Close()
		if b.Topic() != topic || b.Partition() != 0 || b.Attempt() != 0 || b.Flags() != 0 || b.Len() != 5 {
			t.Errorf("batch %s/%d attempt %d flags %d len %d", b.Topic(), b.Partition(), b.Attempt(), b.Flags(), b.Len())
		}
		s := snapshot(t, b)
		checkKnown(t, bk, topic, s)

		// The zero-copy views agree with the copies.
		views, err := b.UnsafeRecords()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(views, s.records) {
			t.Errorf("UnsafeRecords differ from Records:\n%+v\n%+v", views, s.records)
		}
		// The Append variants: after what dst holds, and reusing its array.
		app, err := b.AppendRecords([]sluice.Record{{Topic: "before"}})
		if err != nil || len(app) != 6 || app[0].Topic != "before" || !reflect.DeepEqual(app[1:], s.records) {
			t.Errorf("AppendRecords: %v", err)
		}
		reused, err := b.AppendUnsafeRecords(app[:0])
		if err != nil || &reused[0] != &app[0] || !reflect.DeepEqual(reused, s.records) {
			t.Errorf("AppendUnsafeRecords into a reused slice: %v", err)
		}
		ev, err := b.UnsafeEvent()
		if err != nil || !bytes.Equal(ev, s.event) {
			t.Errorf("UnsafeEvent differs: %v", err)
		}
		if err := b.Ack(); err != nil {
			t.Fatal(err)
		}
		b.Close()
		// Copies outlive the batch; the batch itself is closed.
		checkKnown(t, bk, topic, s)
		if _, err := b.Records(); !errors.Is(err, sluice.ErrInvalidState) {
			t.Errorf("Records after Close: %v", err)
		}
		if _, err := b.Event(); !errors.Is(err, sluice.ErrInvalidState) {
			t.Errorf("Event after Close: %v", err)
		}
		if err := b.Ack(); !errors.Is(err, sluice.ErrInvalidState) {
			t.Errorf("Ack after Close: %v", err)
		}
		if b.Topic() != topic || b.Len() != 5 {
			t.Errorf("metadata after Close: %s %d", b.Topic(), b.Len())
		}
	})
}

// Ack everything, stop, start a new engine in the same group: nothing
// acknowledged comes again, and what was produced since does.
func TestAckRestartNoRedelivery(t *testing.T) {
	t.Parallel()
	bothBackends(t, func(t *testing.T, bk backend) {
		topic := newTopic(t, bk, 1)
		group := uniq("restart")
		produceNumbered(t, bk.bootstrap, topic, 0, 0, 6)
		e1, err := sluice.NewEngine(conf(bk.bootstrap, topic, group, "batch.size", "2"))
		if err != nil {
			t.Fatal(err)
		}
		seen := pullUntil(t, e1, 6, 30*time.Second)
		var offsets []int64
		for _, s := range seen {
			for _, r := range s.records {
				offsets = append(offsets, r.Offset)
			}
		}
		if !reflect.DeepEqual(offsets, []int64{0, 1, 2, 3, 4, 5}) {
			t.Fatalf("offsets %v", offsets)
		}
		if err := e1.Stop(10 * time.Second); err != nil {
			t.Fatalf("Stop: %v", err)
		}
		e1.Close()

		produceNumbered(t, bk.bootstrap, topic, 0, 6, 3)
		e2 := newEngine(t, conf(bk.bootstrap, topic, group, "batch.size", "2"))
		seen = pullUntil(t, e2, 3, 30*time.Second)
		offsets = offsets[:0]
		for _, s := range seen {
			for _, r := range s.records {
				offsets = append(offsets, r.Offset)
				if want := fmt.Sprintf("value-0-%d", r.Offset); string(r.Value) != want {
					t.Errorf("offset %d: value %q, want %q", r.Offset, r.Value, want)
				}
			}
		}
		if !reflect.DeepEqual(offsets, []int64{6, 7, 8}) {
			t.Fatalf("after restart: offsets %v, want [6 7 8]", offsets)
		}
		expectNothing(t, e2, time.Second)
	})
}

// A failed batch comes again: same records, same event, attempt 1; a batch
// closed without ack counts as failed too.
func TestFailRedelivers(t *testing.T) {
	t.Parallel()
	bothBackends(t, func(t *testing.T, bk backend) {
		topic := newTopic(t, bk, 1)
		produceNumbered(t, bk.bootstrap, topic, 0, 0, 3)
		e := newEngine(t, conf(bk.bootstrap, topic, uniq("fail"), "batch.size", "3", "batch.window.ms", "5000"))
		b := pollOne(t, e, 30*time.Second)
		first := snapshot(t, b)
		if first.attempt != 0 || first.flags&sluice.FlagRetry != 0 || len(first.records) != 3 {
			t.Fatalf("first delivery: attempt %d flags %d, %d records", first.attempt, first.flags, len(first.records))
		}
		if err := b.Fail(); err != nil {
			t.Fatal(err)
		}
		b.Close()

		b = pollOne(t, e, 10*time.Second)
		second := snapshot(t, b)
		if second.attempt != 1 || second.flags&sluice.FlagRetry == 0 {
			t.Errorf("second delivery: attempt %d flags %d", second.attempt, second.flags)
		}
		if !reflect.DeepEqual(second.records, first.records) || !bytes.Equal(second.event, first.event) {
			t.Errorf("the retried batch differs")
		}
		b.Close() // neither acked nor failed: counts as failed

		b = pollOne(t, e, 10*time.Second)
		third := snapshot(t, b)
		if third.attempt != 2 || !reflect.DeepEqual(third.records, first.records) {
			t.Errorf("third delivery: attempt %d", third.attempt)
		}
		if err := b.Ack(); err != nil {
			t.Fatal(err)
		}
		b.Close()
		expectNothing(t, e, 500*time.Millisecond)
	})
}

func TestUnknownKey(t *testing.T) {
	_, err := sluice.NewEngine(map[string]string{"bootstrap.servers": "127.0.0.1:1", "batch.sise": "10"})
	var se *sluice.Error
	if !errors.As(err, &se) {
		t.Fatalf("want *sluice.Error, got %T %v", err, err)
	}
	if se.Code != sluice.CodeUnknownKey || se.Key != "batch.sise" || !errors.Is(err, sluice.ErrUnknownKey) {
		t.Errorf("got %#v", se)
	}
	if errors.Is(err, sluice.ErrInvalidValue) {
		t.Errorf("an unknown key matches ErrInvalidValue")
	}
	if se.Retriable {
		t.Errorf("an unknown key is retriable")
	}
	t.Log(err)
}

func TestMissingRequiredKey(t *testing.T) {
	_, err := sluice.NewEngine(map[string]string{"bootstrap.servers": "127.0.0.1:1", "group.id": "g"})
	var se *sluice.Error
	if !errors.As(err, &se) || !errors.Is(err, sluice.ErrInvalidValue) || se.Key != "topic" {
		t.Fatalf("got %v (%#v)", err, se)
	}
}

func TestConfigDefault(t *testing.T) {
	if v, err := sluice.ConfigDefault("batch.size"); err != nil || v != "100" {
		t.Errorf("batch.size default %q, %v", v, err)
	}
	if _, err := sluice.ConfigDefault("nope"); !errors.Is(err, sluice.ErrUnknownKey) {
		t.Errorf("unknown key: %v", err)
	}
}

func TestAckTwice(t *testing.T) {
	t.Parallel()
	bk := mockBackend(t)
	topic := newTopic(t, bk, 1)
	produceNumbered(t, bk.bootstrap, topic, 0, 0, 2)
	e := newEngine(t, conf(bk.bootstrap, topic, uniq("acktwice")))
	b := pollOne(t, e, 30*time.Second)
	defer b.Close()
	if err := b.Ack(); err != nil {
		t.Fatal(err)
	}
	err := b.Ack()
	if !errors.Is(err, sluice.ErrAlreadyCompleted) {
		t.Fatalf("second Ack: %v", err)
	}
	if err := b.Fail(); !errors.Is(err, sluice.ErrAlreadyCompleted) {
		t.Fatalf("Fail after Ack: %v", err)
	}
	// Still readable after the ack.
	if recs, err := b.Records(); err != nil || len(recs) == 0 {
		t.Fatalf("Records after Ack: %v", err)
	}
}

func TestCloseTwice(t *testing.T) {
	t.Parallel()
	bk := mockBackend(t)
	topic := newTopic(t, bk, 1)
	produceNumbered(t, bk.bootstrap, topic, 0, 0, 1)
	e, err := sluice.NewEngine(conf(bk.bootstrap, topic, uniq("close")))
	if err != nil {
		t.Fatal(err)
	}
	b := pollOne(t, e, 30*time.Second)
	if err := b.Ack(); err != nil {
		t.Fatal(err)
	}
	b.Close()
	b.Close()
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() { defer wg.Done(); e.Close() }()
	}
	wg.Wait()
	e.Close()
	if _, err := e.Poll(context.Background()); !errors.Is(err, sluice.ErrStopped) {
		t.Errorf("Poll after Close: %v", err)
	}
	if _, err := e.Stats(); !errors.Is(err, sluice.ErrStopped) {
		t.Errorf("Stats after Close: %v", err)
	}
	if err := e.Stop(time.Second); err != nil {
		t.Errorf("Stop after Close: %v", err)
	}
}

func TestPollHonoursContext(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{"wakeup-fd", "timed"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			bk := mockBackend(t)
			topic := newTopic(t, bk, 1)
			e := newEngine(t, conf(bk.bootstrap, topic, uniq("ctx")))
			if mode == "timed" {
				sluice.DisableWakeup(e)
			}
			// Already cancelled: returns at once.
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			if _, err := e.Poll(ctx); !errors.Is(err, context.Canceled) {
				t.Fatalf("cancelled ctx: %v", err)
			}
			// Cancelled while waiting.
			ctx, cancel = context.WithCancel(context.Background())
			time.AfterFunc(200*time.Millisecond, cancel)
			start := time.Now()
			_, err := e.Poll(ctx)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("Poll: %v", err)
			}
			if d := time.Since(start); d < 150*time.Millisecond || d > 2*time.Second {
				t.Errorf("Poll returned after %v", d)
			}
			// A deadline.
			ctx, cancel = context.WithTimeout(context.Background(), 150*time.Millisecond)
			defer cancel()
			if _, err := e.Poll(ctx); !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("deadline: %v", err)
			}
			// And a batch produced while Poll waits wakes it.
			done := make(chan error, 1)
			go func() {
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				b, err := e.Poll(ctx)
				if err == nil {
					err = b.Ack()
					b.Close()
				}
				done <- err
			}()
			time.Sleep(100 * time.Millisecond)
			produceNumbered(t, bk.bootstrap, topic, 0, 0, 1)
			if err := <-done; err != nil {
				t.Fatalf("Poll woken by a batch: %v", err)
			}
		})
	}
}

// Stop and Close wake blocked Polls with ErrStopped.
func TestStopAndCloseWakePoll(t *testing.T) {
	t.Parallel()
	for _, how := range []string{"stop", "close"} {
		t.Run(how, func(t *testing.T) {
			t.Parallel()
			bk := mockBackend(t)
			topic := newTopic(t, bk, 1)
			e := newEngine(t, conf(bk.bootstrap, topic, uniq("stopwake")))
			errs := make(chan error, 3)
			for i := 0; i < 3; i++ {
				go func() {
					_, err := e.Poll(context.Background())
					errs <- err
				}()
			}
			time.Sleep(300 * time.Millisecond)
			if how == "stop" {
				if err := e.Stop(5 * time.Second); err != nil {
					t.Fatal(err)
				}
			} else {
				e.Close()
			}
			for i := 0; i < 3; i++ {
				select {
				case err := <-errs:
					if !errors.Is(err, sluice.ErrStopped) {
						t.Errorf("Poll: %v", err)
					}
				case <-time.After(5 * time.Second):
					t.Fatal("Poll still blocked after " + how)
				}
			}
		})
	}
}

// A batch outlives its engine's stop: readable, and acks say ErrStopped.
func TestBatchAfterStop(t *testing.T) {
	t.Parallel()
	bk := mockBackend(t)
	topic := newTopic(t, bk, 1)
	produceNumbered(t, bk.bootstrap, topic, 0, 0, 3)
	e := newEngine(t, conf(bk.bootstrap, topic, uniq("afterstop")))
	b := pollOne(t, e, 30*time.Second)
	defer b.Close()
	if err := e.Stop(0); !errors.Is(err, sluice.ErrTimeout) {
		t.Errorf("Stop with a batch out: %v", err)
	}
	e.Close()
	recs, err := b.Records()
	if err != nil || len(recs) == 0 || string(recs[0].Value) != "value-0-0" {
		t.Fatalf("Records after engine Close: %v %v", recs, err)
	}
	if _, err := b.Event(); err != nil {
		t.Fatalf("Event after engine Close: %v", err)
	}
	if err := b.Ack(); !errors.Is(err, sluice.ErrStopped) {
		t.Errorf("Ack after stop: %v", err)
	}
}

func TestTryPollAndStats(t *testing.T) {
	t.Parallel()
	bk := mockBackend(t)
	topic := newTopic(t, bk, 1)
	e := newEngine(t, conf(bk.bootstrap, topic, uniq("stats")))
	if b, err := e.TryPoll(); b != nil || err != nil {
		t.Fatalf("TryPoll on an empty topic: %v %v", b, err)
	}
	produceNumbered(t, bk.bootstrap, topic, 0, 0, 4)
	pullUntil(t, e, 4, 30*time.Second)
	deadline := time.Now().Add(10 * time.Second)
	for {
		st, err := e.Stats()
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"PolledEventCount", "FilteredOutEventCount", "InvokedEventCount", "CommittedEventCount", "MaxOffsetLag", "SumOffsetLag", "InFlightBatches", "BufferedRecords"} {
			if _, ok := st[k]; !ok {
				t.Fatalf("stats lack %s: %v", k, st)
			}
		}
		if _, ok := st["OffsetLag"].(map[string]any); !ok {
			t.Fatalf("OffsetLag: %v", st["OffsetLag"])
		}
		if st["PolledEventCount"] == 4.0 && st["CommittedEventCount"] == 4.0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("stats never reached 4 polled, 4 committed: %v", st)
		}
		time.Sleep(50 * time.Millisecond)
	}
	js, err := e.StatsJSON()
	if err != nil || !json.Valid(js) {
		t.Fatalf("StatsJSON: %v %s", err, js)
	}
}

// Several goroutines poll one engine: every record once, each partition in order.
func TestConcurrentPollers(t *testing.T) {
	t.Parallel()
	bk := mockBackend(t)
	const parts, perPart = 4, 60
	topic := newTopic(t, bk, parts)
	for p := int32(0); p < parts; p++ {
		produceNumbered(t, bk.bootstrap, topic, p, 0, perPart)
	}
	e := newEngine(t, conf(bk.bootstrap, topic, uniq("conc"), "batch.size", "7"))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	var mu sync.Mutex
	next := map[int32]int64{}
	total := 0
	var wg sync.WaitGroup
	errs := make(chan error, 1000)
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				finished := total == parts*perPart
				mu.Unlock()
				if finished {
					return
				}
				pctx, pcancel := context.WithTimeout(ctx, 200*time.Millisecond)
				b, err := e.Poll(pctx)
				pcancel()
				if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
					continue
				}
				if err != nil {
					errs <- err
					return
				}
				recs, err := b.Records()
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				for _, r := range recs {
					if r.Offset != next[r.Partition] {
						errs <- fmt.Errorf("partition %d: offset %d, want %d", r.Partition, r.Offset, next[r.Partition])
					}
					next[r.Partition] = r.Offset + 1
				}
				total += len(recs)
				mu.Unlock()
				if err := b.Ack(); err != nil {
					errs <- err
				}
				b.Close()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if total != parts*perPart {
		t.Fatalf("%d records, want %d", total, parts*perPart)
	}
}

// The finalizer of a forgotten batch frees it, which counts as a failure:
// the batch comes again.
func TestBatchFinalizer(t *testing.T) {
	t.Parallel()
	bk := mockBackend(t)
	topic := newTopic(t, bk, 1)
	produceNumbered(t, bk.bootstrap, topic, 0, 0, 2)
	e := newEngine(t, conf(bk.bootstrap, topic, uniq("final")))
	func() {
		b := pollOne(t, e, 30*time.Second)
		if b.Attempt() != 0 {
			t.Errorf("attempt %d", b.Attempt())
		}
	}()
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
				runtime.GC()
			}
		}
	}()
	b := pollOne(t, e, 20*time.Second)
	defer b.Close()
	if b.Attempt() != 1 {
		t.Errorf("redelivered with attempt %d, want 1", b.Attempt())
	}
}

// The finalizer of a forgotten engine closes it: it leaves the group, so a
// new member gets the partition (the old one would keep it otherwise).
func TestEngineFinalizer(t *testing.T) {
	t.Parallel()
	bk := mockBackend(t)
	topic := newTopic(t, bk, 1)
	group := uniq("efinal")
	produceNumbered(t, bk.bootstrap, topic, 0, 0, 2)
	func() {
		e, err := sluice.NewEngine(conf(bk.bootstrap, topic, group))
		if err != nil {
			t.Fatal(err)
		}
		pullUntil(t, e, 2, 30*time.Second)
		// e is dropped here without Close.
	}()
	for i := 0; i < 5; i++ {
		runtime.GC()
		time.Sleep(20 * time.Millisecond)
	}
	produceNumbered(t, bk.bootstrap, topic, 0, 2, 1)
	e2 := newEngine(t, conf(bk.bootstrap, topic, group))
	seen := pullUntil(t, e2, 1, 30*time.Second)
	if seen[0].records[0].Offset != 2 {
		t.Errorf("after the finalizer: offset %d, want 2", seen[0].records[0].Offset)
	}
}

func TestVersion(t *testing.T) {
	want := fmt.Sprintf("%d.%d.%d", sluice.HeaderVersionNumber/10000, sluice.HeaderVersionNumber/100%100, sluice.HeaderVersionNumber%100)
	if sluice.Version() != want || sluice.VersionNumber() != sluice.HeaderVersionNumber {
		t.Errorf("library %s (%d), header %s (%d)", sluice.Version(), sluice.VersionNumber(), want, sluice.HeaderVersionNumber)
	}
}

// A NUL byte would cut a C string short: refused instead of truncated.
func TestNULBytesRefused(t *testing.T) {
	_, err := sluice.NewEngine(map[string]string{"batch.size": "10\x00junk"})
	var se *sluice.Error
	if !errors.As(err, &se) || se.Code != sluice.CodeInvalidValue || se.Key != "batch.size" || se.Offset != 2 {
		t.Errorf("NUL in a value: %v", err)
	}
	if _, err := sluice.NewEngine(map[string]string{"batch.size\x00x": "10"}); !errors.Is(err, sluice.ErrInvalidArgument) {
		t.Errorf("NUL in a key: %v", err)
	}
	if _, err := sluice.ConfigDefault("batch.size\x00"); !errors.Is(err, sluice.ErrInvalidArgument) {
		t.Errorf("NUL in ConfigDefault: %v", err)
	}
}

// A second engine joins the group while the first holds a batch of each
// partition: a partition moves, the held batch of it is abandoned after
// revoke.timeout.ms (its Ack says ErrRevoked) and the new owner gets the
// same records.
func TestRevokedAck(t *testing.T) {
	t.Parallel()
	bothBackends(t, func(t *testing.T, bk backend) {
		topic := newTopic(t, bk, 2)
		produceNumbered(t, bk.bootstrap, topic, 0, 0, 3)
		produceNumbered(t, bk.bootstrap, topic, 1, 0, 3)
		group := uniq("revoke")
		cfg := conf(bk.bootstrap, topic, group, "batch.size", "3", "batch.window.ms", "2000", "revoke.timeout.ms", "200")
		a := newEngine(t, cfg)
		held := map[int32]*sluice.Batch{}
		for len(held) < 2 {
			b := pollOne(t, a, 30*time.Second)
			held[b.Partition()] = b
		}
		bEngine := newEngine(t, cfg)
		moved := pollOne(t, bEngine, 60*time.Second)
		defer moved.Close()
		recs, err := moved.Records()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 3 || recs[0].Offset != 0 {
			t.Errorf("the new owner got %d records from offset %d", len(recs), recs[0].Offset)
		}
		for p, b := range held {
			err := b.Ack()
			switch {
			case p == moved.Partition() && !errors.Is(err, sluice.ErrRevoked):
				t.Errorf("Ack of the moved partition %d: %v, want ErrRevoked", p, err)
			case p != moved.Partition() && err != nil && !errors.Is(err, sluice.ErrRevoked):
				// Cooperative-sticky keeps the other partition where it is
				// (real Kafka), but a rebalance may take it away and give it
				// back (librdkafka's mock cluster does at times): then its
				// Ack is ErrRevoked too.
				t.Errorf("Ack of the other partition %d: %v", p, err)
			}
			b.Close()
		}
		if err := moved.Ack(); err != nil {
			t.Errorf("the new owner's Ack: %v", err)
		}
	})
}
