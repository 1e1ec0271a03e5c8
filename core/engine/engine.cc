#include "core/engine/engine.h"

#include <mimalloc.h>

#include "core/engine/core.h"

namespace sluice::engine {

Status Engine::create(const config::Config& cfg, sluice_handler_fn handler, void* opaque,
                      std::unique_ptr<Engine>* out) {
  if (auto st = cfg.validate_for_engine(); !st.ok()) return st;
  using std::chrono::milliseconds;
  Settings s;
  s.topic = cfg.get_string("topic");
  s.batch_size = cfg.get_int("batch.size");
  s.window = milliseconds(cfg.get_int("batch.window.ms"));
  s.max_bytes = static_cast<uint64_t>(cfg.get_int("batch.max.bytes"));
  s.max_concurrency = cfg.get_int("max.concurrency");
  s.max_inflight_records = cfg.get_int("max.inflight.records");
  s.max_inflight_bytes = cfg.get_int("max.inflight.bytes");
  s.backoff = milliseconds(cfg.get_int("retry.backoff.ms"));
  s.backoff_max = milliseconds(cfg.get_int("retry.backoff.max.ms"));
  s.revoke_timeout = milliseconds(cfg.get_int("revoke.timeout.ms"));
  s.commit_interval = milliseconds(cfg.get_int("commit.interval.ms"));
  s.starting_position = cfg.get_string("starting.position");
  s.starting_timestamp = cfg.get_int("starting.position.timestamp");
  s.handler = handler;
  s.handler_opaque = opaque;

  event::EventConfig ec;
  ec.source = cfg.get_string("event.source") == "aws:kafka" ? event::Source::kAwsKafka
                                                            : event::Source::kSelfManagedKafka;
  ec.event_source_arn = cfg.get_string("event.source.arn");
  ec.bootstrap_servers = cfg.get_string("event.bootstrap.servers");
  if (ec.bootstrap_servers.empty()) ec.bootstrap_servers = cfg.get_string("bootstrap.servers");

  auto core = std::make_shared<Core>(std::move(s), event::EventWriter(std::move(ec)), cfg.filter());
  if (auto st = core->start(cfg); !st.ok()) {
    (void)core->stop(std::chrono::seconds(0)).ok();
    return st;
  }
  out->reset(new Engine(std::move(core)));
  return {};
}

Engine::~Engine() {
  if (!stopped_) (void)stop(10000).ok();
}

Status Engine::stop(int32_t timeout_ms) {
  if (core_->on_worker_thread())
    return make_error(SLUICE_ERR_INVALID_STATE,
                      "sluice_engine_stop: called from a handler of the same engine (it would "
                      "wait for itself); stop from another thread");
  std::lock_guard<std::mutex> g(stop_mu_);
  if (stopped_) return {};
  stopped_ = true;
  // A negative timeout waits for outstanding batches without a limit.
  const auto timeout = timeout_ms < 0 ? std::chrono::duration_cast<Clock::duration>(std::chrono::hours(24 * 365))
                                      : std::chrono::duration_cast<Clock::duration>(std::chrono::milliseconds(timeout_ms));
  return core_->stop(timeout);
}

Status Engine::poll(int32_t timeout_ms, sluice_batch** out) {
  return core_->poll(timeout_ms, out);
}

Status Engine::wakeup_fd(int32_t* out) {
  *out = core_->wakeup_fd();
  return {};
}

std::string Engine::stats_json() const { return core_->stats_json(); }

Status batch_complete(sluice_batch* b, bool ok) {
  if (b->borrowed)
    return make_error(SLUICE_ERR_INVALID_STATE,
                      "a batch passed to a handler is completed by the handler's return value");
  return b->data->core->complete(b, ok);
}

Status batch_event(const sluice_batch* b, const uint8_t** data, uint64_t* len) {
  BatchData& d = *b->data;
  size_t written = d.event_size;
  std::call_once(d.event_once, [&] {
    d.event = static_cast<char*>(batch_malloc(d.event_size ? d.event_size : 1));
    if (!d.event) throw std::bad_alloc();  // the C shim turns it into an error
    const Core& core = *d.core;
    written = core.writer().write(d.event, core.topic(), d.partition, d.records.data(),
                                  d.records.size(), d.headers.data());
  });
  if (written != d.event_size)
    return make_error(SLUICE_ERR_INTERNAL, "event size mismatch: computed " +
                                               std::to_string(d.event_size) + ", wrote " +
                                               std::to_string(written));
  *data = reinterpret_cast<const uint8_t*>(d.event);
  *len = d.event_size;
  return {};
}

const char* batch_topic(const sluice_batch* b) { return b->data->core->topic().c_str(); }

void batch_destroy(sluice_batch* b) {
  if (!b->borrowed && !b->done.load() &&
      b->data->state.load() == DeliveryState::kDelivered)
    (void)b->data->core->complete(b, false).ok();
  free_handle(b);
}

}  // namespace sluice::engine
