// Package sluice binds libsluice, AWS Lambda's Kafka event source mapping as
// an embeddable library: a consumer group fetches a topic, filters records,
// cuts them into batches, encodes each batch as the exact Lambda MSK event
// JSON, and commits offsets only after the host acknowledges a batch.
//
// The package is a cgo wrapper over the stable C ABI (sluice.h), found with
// pkg-config ("#cgo pkg-config: sluice").
//
// # Pull mode on goroutines
//
// Go programs consume in pull mode: Engine.Poll hands out one batch at a time
// on the calling goroutine. sluice's push mode (a C handler called on engine
// threads) is deliberately not wrapped: no C thread ever calls into Go. To
// process partitions in parallel, run several goroutines that each call Poll;
// the engine keeps per-partition order (one batch of a partition out at a
// time) whichever goroutine holds it.
//
// # Threads
//
// Engine methods may be called from any number of goroutines at once. A Batch
// belongs to one goroutine at a time; its methods are serialised internally,
// so a stray concurrent Close cannot free memory under a running Ack, but
// slices returned by the Unsafe* methods become invalid at Close. A Filter
// serialises its matches (one parser per filter); use one per goroutine for
// parallel matching.
//
// # Errors
//
// Every error from the library is an *Error carrying the stable Code, a
// message, and for configuration and pattern errors the Key, Path and
// Offset. errors.Is(err, ErrUnknownKey) (and so on for each code) tests the
// code. Poll returns ctx.Err() when its context ends first.
package sluice

//go:generate go run ./internal/cmd/gencodes -header ../../capi/include/sluice.h -out codes_generated.go
