// engine.h: the engine as the C API sees it. A thin owner of the Core, which
// holds the threads and queues (core.h).
#pragma once

#include <memory>
#include <mutex>

#include "core/config/config.h"
#include "core/util/status.h"
#include "sluice.h"

namespace sluice::engine {

class Core;

class Engine {
 public:
  // Validates cfg, creates the consumer, subscribes and starts the threads.
  static Status create(const config::Config& cfg, sluice_handler_fn handler, void* opaque,
                       std::unique_ptr<Engine>* out);
  ~Engine();  // stops (10 s) if needed

  Status stop(int32_t timeout_ms);
  Status poll(int32_t timeout_ms, sluice_batch** out);
  Status wakeup_fd(int32_t* out);
  std::string stats_json() const;

 private:
  explicit Engine(std::shared_ptr<Core> core) : core_(std::move(core)) {}
  std::shared_ptr<Core> core_;
  // stop() may be called from several threads at once: the first stops, the
  // others wait for it and return success.
  std::mutex stop_mu_;
  bool stopped_ = false;
};

// Batch-side operations (any thread; the batch keeps its Core alive).
Status batch_complete(sluice_batch* b, bool ok);
// Encodes the event on first use; the bytes live as long as the batch data.
Status batch_event(const sluice_batch* b, const uint8_t** data, uint64_t* len);
const char* batch_topic(const sluice_batch* b);
// Destroying an unacknowledged pull-mode batch fails it (it comes back).
void batch_destroy(sluice_batch* b);

}  // namespace sluice::engine
