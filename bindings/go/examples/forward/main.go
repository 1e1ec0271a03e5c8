// Command forward writes each batch's Lambda event to stdout, one JSON object
// per line, and acknowledges the batch only after the line is written out: a
// crash between the two means the batch comes again (at-least-once), never
// that it is lost.
//
//	go run ./examples/forward --bootstrap localhost:9092 --topic orders --group forwarder \
//	    [--set batch.size=500 --set filter.patterns='[{"value":{"status":["ok"]}}]']
//
// Ctrl-C stops it cleanly: the engine commits what was acked and leaves the
// group.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	sluice "github.com/sluice-dev/sluice/bindings/go"
)

type settings map[string]string

func (s settings) String() string { return fmt.Sprint(map[string]string(s)) }
func (s settings) Set(kv string) error {
	k, v, ok := strings.Cut(kv, "=")
	if !ok {
		return fmt.Errorf("want KEY=VALUE, got %q", kv)
	}
	s[k] = v
	return nil
}

func main() {
	config := settings{"starting.position": "trim_horizon"}
	flag.Func("bootstrap", "Kafka bootstrap servers", func(v string) error { config["bootstrap.servers"] = v; return nil })
	flag.Func("topic", "topic to consume", func(v string) error { config["topic"] = v; return nil })
	flag.Func("group", "consumer group id", func(v string) error { config["group.id"] = v; return nil })
	flag.Var(config, "set", "any sluice setting, KEY=VALUE (repeatable)")
	flag.Parse()

	if err := run(config); err != nil {
		fmt.Fprintln(os.Stderr, "forward:", err)
		os.Exit(1)
	}
}

func run(config map[string]string) error {
	engine, err := sluice.NewEngine(config)
	if err != nil {
		var se *sluice.Error
		if errors.As(err, &se) && se.Key != "" {
			return fmt.Errorf("setting %q: %w", se.Key, err)
		}
		return err
	}
	defer engine.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	out := bufio.NewWriterSize(os.Stdout, 1<<20)
	for {
		batch, err := engine.Poll(ctx)
		if err != nil {
			if ctx.Err() != nil { // Ctrl-C: a clean stop
				return engine.Stop(10 * time.Second)
			}
			return err
		}
		if err := forward(out, batch); err != nil {
			batch.Close() // not acked: it comes again
			return err
		}
		err = batch.Ack()
		batch.Close()
		if err != nil && !errors.Is(err, sluice.ErrRevoked) {
			return err // ErrRevoked: another consumer got the partition and the batch
		}
	}
}

func forward(out *bufio.Writer, batch *sluice.Batch) error {
	event, err := batch.UnsafeEvent() // valid until batch.Close: written out before that
	if err != nil {
		return err
	}
	if _, err := out.Write(event); err != nil {
		return err
	}
	if err := out.WriteByte('\n'); err != nil {
		return err
	}
	return out.Flush()
}
