// event_writer_benchmark.cc: EventWriter::write on a batch of 100 records
// (16 B keys, 100 B or 1 KiB values, 2 headers each), reported as bytes of
// event JSON written per second; and the per-record sizing the batcher does.
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <vector>

#include "core/event/event_writer.h"

namespace {

using sluice::event::EventConfig;
using sluice::event::EventWriter;
using sluice::event::Source;

struct Fixture {
  std::vector<std::string> keys, values, trace_ids;
  std::vector<sluice_record_t> records;
  std::vector<sluice_header_t> headers;

  Fixture(size_t n, size_t value_len) {
    std::mt19937_64 rng(99);
    auto random_bytes = [&](size_t len) {
      std::string s(len, '\0');
      for (auto& c : s) c = static_cast<char>(rng());
      return s;
    };
    for (size_t i = 0; i < n; ++i) {
      keys.push_back(random_bytes(16));
      values.push_back(random_bytes(value_len));
      trace_ids.push_back(random_bytes(16));
    }
    static const std::string kContentType = "application/json";
    for (size_t i = 0; i < n; ++i) {
      sluice_record_t r{};
      r.offset = 1'000'000'000 + static_cast<int64_t>(i);
      r.timestamp = 1'717'000'000'000 + static_cast<int64_t>(i);
      r.timestamp_type = SLUICE_TIMESTAMP_CREATE_TIME;
      r.partition = 7;
      r.key = reinterpret_cast<const uint8_t*>(keys[i].data());
      r.key_len = static_cast<uint32_t>(keys[i].size());
      r.value = reinterpret_cast<const uint8_t*>(values[i].data());
      r.value_len = static_cast<uint32_t>(values[i].size());
      r.header_first = static_cast<uint32_t>(headers.size());
      r.header_count = 2;
      headers.push_back({"content-type", reinterpret_cast<const uint8_t*>(kContentType.data()),
                         12, static_cast<uint32_t>(kContentType.size())});
      headers.push_back({"trace-id", reinterpret_cast<const uint8_t*>(trace_ids[i].data()), 8,
                         static_cast<uint32_t>(trace_ids[i].size())});
      records.push_back(r);
    }
  }
};

EventWriter make_writer() {
  return EventWriter(EventConfig{
      Source::kAwsKafka,
      "arn:aws:kafka:us-east-1:123456789012:cluster/demo/751d2973-a626-431c-9d4e-d7975eb44dd7-2",
      "b-2.demo.kafka.us-east-1.amazonaws.com:9092,b-1.demo.kafka.us-east-1.amazonaws.com:9092"});
}

void BM_EventWrite(benchmark::State& state) {
  const Fixture f(100, static_cast<size_t>(state.range(0)));
  const EventWriter w = make_writer();
  const size_t size = w.event_size("orders", 7, f.records.data(), f.records.size(), f.headers.data());
  std::vector<char> out(size);
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        w.write(out.data(), "orders", 7, f.records.data(), f.records.size(), f.headers.data()));
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * size));
  state.counters["event_bytes"] = static_cast<double>(size);
}
BENCHMARK(BM_EventWrite)->Arg(100)->Arg(1024);

// What the batcher pays per record on the fetch thread.
void BM_RecordSize(benchmark::State& state) {
  const Fixture f(100, static_cast<size_t>(state.range(0)));
  const EventWriter w = make_writer();
  const size_t tlen = EventWriter::escaped_topic_size("orders");
  for (auto _ : state) {
    size_t total = w.envelope_size("orders", 7);
    for (const auto& r : f.records) total += w.record_size(tlen, r, f.headers.data()) + 1;
    benchmark::DoNotOptimize(total);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * f.records.size()));
}
BENCHMARK(BM_RecordSize)->Arg(100)->Arg(1024);

}  // namespace
