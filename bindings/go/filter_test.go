package sluice_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	sluice "github.com/sluice-dev/sluice/bindings/go"
)

func TestFilterMatch(t *testing.T) {
	f, err := sluice.NewFilter(`[{"value":{"status":["ok"]}}, {"value":[{"prefix":"plain-"}]}]`)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, c := range []struct {
		key, value []byte
		want       bool
	}{
		{[]byte("k"), []byte(`{"status":"ok"}`), true},
		{nil, []byte(`{"status":"ok","n":1}`), true},
		{[]byte("k"), []byte(`{"status":"bad"}`), false},
		{[]byte("k"), []byte("plain-text"), true},
		{[]byte("k"), []byte("other text"), false},
		{[]byte("k"), nil, false},
		{[]byte("k"), []byte{}, false},
		{nil, []byte{0xff, 0xfe, 0x00}, false},
	} {
		got, err := f.Match(c.key, c.value)
		if err != nil || got != c.want {
			t.Errorf("Match(%q, %q) = %v, %v; want %v", c.key, c.value, got, err, c.want)
		}
	}
	// Matches from several goroutines are serialised, not racy.
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 200; j++ {
				if ok, err := f.Match(nil, []byte(`{"status":"ok"}`)); !ok || err != nil {
					t.Errorf("concurrent Match: %v %v", ok, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	f.Close()
	f.Close()
	if _, err := f.Match(nil, nil); !errors.Is(err, sluice.ErrInvalidState) {
		t.Errorf("Match after Close: %v", err)
	}
}

func TestFilterInvalidPattern(t *testing.T) {
	patterns := `[{"value":{"a":[{"nope":1}]}}]`
	_, err := sluice.NewFilter(patterns)
	var se *sluice.Error
	if !errors.As(err, &se) || !errors.Is(err, sluice.ErrInvalidPattern) {
		t.Fatalf("got %v", err)
	}
	if se.Path == "" || se.Offset < 0 || se.Offset >= int64(len(patterns)) {
		t.Errorf("path %q offset %d", se.Path, se.Offset)
	}
	t.Log(err)
	if _, err := sluice.NewFilter(""); !errors.Is(err, sluice.ErrInvalidPattern) {
		t.Errorf("empty patterns: %v", err)
	}
}

// filter.patterns in an engine: records matching no pattern never arrive,
// but their offsets are committed.
func TestEngineFilters(t *testing.T) {
	t.Parallel()
	bk := mockBackend(t)
	topic := newTopic(t, bk, 1)
	produce(t, bk.bootstrap, topic, 0, []rec{
		{value: []byte(`{"status":"bad"}`)},
		{value: []byte(`{"status":"ok"}`)},
		{value: []byte(`{"status":"bad"}`)},
		{value: []byte(`{"status":"ok","n":2}`)},
		{value: []byte(`{"status":"bad"}`)},
	})
	e := newEngine(t, conf(bk.bootstrap, topic, uniq("filter"), "filter.patterns", `[{"value":{"status":["ok"]}}]`))
	seen := pullUntil(t, e, 2, 30*time.Second)
	var offsets []int64
	for _, s := range seen {
		for _, r := range s.records {
			offsets = append(offsets, r.Offset)
		}
	}
	if len(offsets) != 2 || offsets[0] != 1 || offsets[1] != 3 {
		t.Fatalf("offsets %v, want [1 3]", offsets)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		st, err := e.Stats()
		if err != nil {
			t.Fatal(err)
		}
		if st["FilteredOutEventCount"] == 3.0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("FilteredOutEventCount: %v", st["FilteredOutEventCount"])
		}
		time.Sleep(50 * time.Millisecond)
	}
}
