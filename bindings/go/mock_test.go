package sluice_test

import (
	"errors"
	"testing"
	"time"

	sluice "github.com/sluice-dev/sluice/bindings/go"
	"github.com/sluice-dev/sluice/bindings/go/sluicetest"
)

// Fetch errors injected into the mock cluster are retried: every record
// still arrives, once, in order.
func TestMockFetchErrors(t *testing.T) {
	t.Parallel()
	mc, err := sluicetest.NewMockCluster(1)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(mc.Close)
	topic := uniq("faults")
	if err := mc.CreateTopic(topic, 1); err != nil {
		t.Fatal(err)
	}
	produceNumbered(t, mc.Bootstraps(), topic, 0, 0, 20)
	// 1 = Fetch; 6 = NOT_LEADER_OR_FOLLOWER, retriable.
	if err := mc.PushRequestErrors(1, 3, 6); err != nil {
		t.Fatal(err)
	}
	e := newEngine(t, conf(mc.Bootstraps(), topic, uniq("faults"), "batch.size", "5"))
	seen := pullUntil(t, e, 20, 60*time.Second)
	next := int64(0)
	for _, s := range seen {
		for _, r := range s.records {
			if r.Offset != next {
				t.Fatalf("offset %d, want %d", r.Offset, next)
			}
			next++
		}
	}
}

// A broker down and back up: records produced around the outage arrive.
func TestMockBrokerDownUp(t *testing.T) {
	t.Parallel()
	mc, err := sluicetest.NewMockCluster(1)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(mc.Close)
	topic := uniq("downup")
	if err := mc.CreateTopic(topic, 1); err != nil {
		t.Fatal(err)
	}
	produceNumbered(t, mc.Bootstraps(), topic, 0, 0, 3)
	e := newEngine(t, conf(mc.Bootstraps(), topic, uniq("downup")))
	pullUntil(t, e, 3, 30*time.Second)
	if err := mc.SetBrokerUp(1, false); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond)
	if err := mc.SetBrokerUp(1, true); err != nil {
		t.Fatal(err)
	}
	produceNumbered(t, mc.Bootstraps(), topic, 0, 3, 3)
	seen := pullUntil(t, e, 3, 60*time.Second)
	if seen[0].records[0].Offset != 3 {
		t.Errorf("after the outage: first offset %d, want 3", seen[0].records[0].Offset)
	}
}

func TestMockArgumentsAndClose(t *testing.T) {
	if _, err := sluicetest.NewMockCluster(0); !errors.Is(err, sluice.ErrInvalidArgument) {
		t.Errorf("0 brokers: %v", err)
	}
	mc, err := sluicetest.NewMockCluster(2)
	if err != nil {
		t.Fatal(err)
	}
	if err := mc.CreateTopic("t", 0); !errors.Is(err, sluice.ErrInvalidArgument) {
		t.Errorf("0 partitions: %v", err)
	}
	if err := mc.SetBrokerUp(7, true); err == nil {
		t.Errorf("broker 7 of 2 accepted")
	}
	p, err := sluicetest.NewProducer(mc.Bootstraps())
	if err != nil {
		t.Fatal(err)
	}
	p.Close()
	p.Close()
	if err := p.Send("t", 0, nil, nil, nil, 0); !errors.Is(err, sluice.ErrInvalidState) {
		t.Errorf("Send after Close: %v", err)
	}
	mc.Close()
	mc.Close()
	if err := mc.CreateTopic("t", 1); !errors.Is(err, sluice.ErrInvalidState) {
		t.Errorf("CreateTopic after Close: %v", err)
	}
}

func TestMockNULBytesRefused(t *testing.T) {
	if err := sluicetest.CreateTopic("127.0.0.1:1", "a\x00b", 1); !errors.Is(err, sluice.ErrInvalidArgument) {
		t.Errorf("CreateTopic: %v", err)
	}
	if _, err := sluicetest.NewProducer("127.0.0.1:1\x00"); !errors.Is(err, sluice.ErrInvalidArgument) {
		t.Errorf("NewProducer: %v", err)
	}
}
