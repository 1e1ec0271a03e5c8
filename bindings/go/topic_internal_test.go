package sluice

import (
	"testing"
	"unsafe"
)

func TestCStringEquals(t *testing.T) {
	for _, c := range []struct {
		c    string // NUL-terminated C string bytes
		s    string
		want bool
	}{
		{"orders\x00", "orders", true},
		{"orders\x00", "order", false},
		{"order\x00", "orders", false}, // stops at the NUL: no read past it
		{"orderz\x00", "orders", false},
		{"\x00", "", true},
		{"a\x00", "", false},
	} {
		if got := cStringEquals(cStringAt([]byte(c.c)), c.s); got != c.want {
			t.Errorf("cStringEquals(%q, %q) = %v", c.c, c.s, got)
		}
	}
	if cStringEquals(nil, "") {
		t.Error("nil equals \"\"")
	}
}

func TestTopicCacheSharesOneString(t *testing.T) {
	var c topicCache
	a := c.get(cStringAt([]byte("orders\x00")))
	b := c.get(cStringAt([]byte("orders\x00")))
	if a != "orders" || b != "orders" || unsafeStringData(a) != unsafeStringData(b) {
		t.Fatalf("%q %q not shared", a, b)
	}
	// Another topic replaces it, and is returned correctly.
	if o := c.get(cStringAt([]byte("payments\x00"))); o != "payments" {
		t.Fatalf("got %q", o)
	}
	if o := c.get(cStringAt([]byte("orders\x00"))); o != "orders" {
		t.Fatalf("got %q", o)
	}
	// The cached string does not alias the C bytes: changing them later
	// does not change it.
	buf := []byte("topic\x00")
	s := c.get(cStringAt(buf))
	buf[0] = 'X'
	if s != "topic" {
		t.Fatalf("cached string changed to %q", s)
	}
}

func unsafeStringData(s string) *byte { return unsafe.StringData(s) }
