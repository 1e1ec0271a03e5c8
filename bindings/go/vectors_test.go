package sluice_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	sluice "github.com/sluice-dev/sluice/bindings/go"
	"github.com/sluice-dev/sluice/bindings/go/sluicetest"
)

// The language-neutral vectors of tests/vectors/, shared with the C++,
// Python and Rust suites.
var vectorsDir = filepath.Join("..", "..", "tests", "vectors")

func readVectors(t *testing.T, name string, v any) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(vectorsDir, name))
	if err != nil {
		t.Fatalf("the shared vectors: %v", err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// unb64 decodes a vector's bytes: JSON null is a null key/value (nil), ""
// is empty (non-nil).
func unb64(t *testing.T, s *string) []byte {
	t.Helper()
	if s == nil {
		return nil
	}
	b, err := base64.StdEncoding.DecodeString(*s)
	if err != nil {
		t.Fatalf("vector base64 %q: %v", *s, err)
	}
	return b
}

type eventVector struct {
	Name             string  `json:"name"`
	Topic            string  `json:"topic"`
	Partition        int32   `json:"partition"`
	EventSource      string  `json:"event_source"`
	ARN              *string `json:"arn"`
	BootstrapServers string  `json:"bootstrap_servers"`
	Records          []struct {
		Key       *string              `json:"key_b64"`
		Value     *string              `json:"value_b64"`
		Timestamp int64                `json:"timestamp"`
		Headers   [][2]json.RawMessage `json:"headers"`
	} `json:"records"`
	ExpectedEvent string `json:"expected_event"`
}

// Each case: its records, with its timestamps, into a fresh mock cluster;
// consumed through the binding; the event must match byte for byte.
func TestVectorsEvents(t *testing.T) {
	t.Parallel()
	var doc struct {
		Cases []eventVector `json:"cases"`
	}
	readVectors(t, "events.json", &doc)
	if len(doc.Cases) < 4 {
		t.Fatalf("only %d event vectors", len(doc.Cases))
	}
	for _, c := range doc.Cases {
		c := c
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			mc, err := sluicetest.NewMockCluster(1)
			if err != nil {
				t.Fatal(err)
			}
			defer mc.Close()
			if err := mc.CreateTopic(c.Topic, int(c.Partition)+1); err != nil {
				t.Fatal(err)
			}
			var recs []rec
			for _, r := range c.Records {
				var hs []sluice.Header
				for _, h := range r.Headers {
					var name string
					var val *string
					if err := json.Unmarshal(h[0], &name); err != nil {
						t.Fatal(err)
					}
					if err := json.Unmarshal(h[1], &val); err != nil {
						t.Fatal(err)
					}
					hs = append(hs, sluice.Header{Key: name, Value: unb64(t, val)})
				}
				recs = append(recs, rec{key: unb64(t, r.Key), value: unb64(t, r.Value), headers: hs, ts: r.Timestamp})
			}
			produce(t, mc.Bootstraps(), c.Topic, c.Partition, recs)

			cfg := map[string]string{
				"bootstrap.servers":       mc.Bootstraps(),
				"topic":                   c.Topic,
				"group.id":                "vectors",
				"starting.position":       "trim_horizon",
				"batch.window.ms":         "2000",
				"event.source":            c.EventSource,
				"event.bootstrap.servers": c.BootstrapServers,
			}
			if c.ARN != nil {
				cfg["event.source.arn"] = *c.ARN
			}
			e, err := sluice.NewEngine(cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer e.Close()
			seen := pullUntil(t, e, len(recs), 30*time.Second)
			if len(seen) != 1 {
				t.Fatalf("%d batches: all records of a vector fit one", len(seen))
			}
			if !bytes.Equal(seen[0].event, []byte(c.ExpectedEvent)) {
				t.Errorf("event differs\n got: %s\nwant: %s", seen[0].event, c.ExpectedEvent)
			}
			if err := e.Stop(5 * time.Second); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// Config errors every binding reports the same way: the code's C name, the
// key, and a message fragment.
func TestVectorsConfigErrors(t *testing.T) {
	var doc struct {
		Cases []struct {
			Key             string `json:"key"`
			Value           string `json:"value"`
			Code            string `json:"code"`
			ErrorKey        string `json:"error_key"`
			MessageContains string `json:"message_contains"`
		} `json:"cases"`
	}
	readVectors(t, "config_errors.json", &doc)
	if len(doc.Cases) == 0 {
		t.Fatal("no config error vectors")
	}
	for _, c := range doc.Cases {
		_, err := sluice.NewEngine(map[string]string{c.Key: c.Value})
		var se *sluice.Error
		if !errors.As(err, &se) {
			t.Errorf("%s=%s: want *sluice.Error, got %v", c.Key, c.Value, err)
			continue
		}
		if se.Code.String() != c.Code || se.Key != c.ErrorKey || !strings.Contains(se.Message, c.MessageContains) {
			t.Errorf("%s=%s: got %s key %q message %q; want %s key %q message containing %q",
				c.Key, c.Value, se.Code, se.Key, se.Message, c.Code, c.ErrorKey, c.MessageContains)
		}
		if !errors.Is(err, sluice.Sentinel(se.Code)) {
			t.Errorf("%s=%s: errors.Is(err, Sentinel(%s)) is false", c.Key, c.Value, se.Code)
		}
	}
}
