// The C shim for engines and batches. No logic: see core/engine/.
#include <cstdlib>
#include <cstring>

#include "capi/src/error_c.h"
#include "capi/src/handles_c.h"

using sluice::capi::from_status;
using sluice::capi::guard;
using sluice::capi::invalid_argument;
namespace eng = sluice::engine;

extern "C" {

SLUICE_API sluice_error_t* sluice_engine_new(const sluice_conf_t* conf, sluice_engine_t** out) {
  return guard([&]() -> sluice_error_t* {
    if (!conf || !out) return invalid_argument("sluice_engine_new: NULL argument");
    std::unique_ptr<eng::Engine> e;
    if (auto st = eng::Engine::create(conf->cfg, conf->handler, conf->opaque, &e); !st.ok())
      return from_status(std::move(st));
    *out = new sluice_engine{std::move(e)};
    return nullptr;
  });
}

SLUICE_API sluice_error_t* sluice_engine_stop(sluice_engine_t* engine, int32_t timeout_ms) {
  return guard([&]() -> sluice_error_t* {
    if (!engine) return invalid_argument("sluice_engine_stop: engine is NULL");
    return from_status(engine->impl->stop(timeout_ms));
  });
}

SLUICE_API void sluice_engine_destroy(sluice_engine_t* engine) {
  (void)guard([&]() -> sluice_error_t* {
    delete engine;
    return nullptr;
  });
}

SLUICE_API sluice_error_t* sluice_engine_poll(sluice_engine_t* engine, int32_t timeout_ms,
                                              sluice_batch_t** out) {
  return guard([&]() -> sluice_error_t* {
    if (!engine || !out) return invalid_argument("sluice_engine_poll: NULL argument");
    return from_status(engine->impl->poll(timeout_ms, out));
  });
}

SLUICE_API sluice_error_t* sluice_engine_wakeup_fd(sluice_engine_t* engine, int32_t* out) {
  return guard([&]() -> sluice_error_t* {
    if (!engine || !out) return invalid_argument("sluice_engine_wakeup_fd: NULL argument");
    return from_status(engine->impl->wakeup_fd(out));
  });
}

SLUICE_API sluice_error_t* sluice_engine_stats(const sluice_engine_t* engine, char** out,
                                               uint64_t* len) {
  return guard([&]() -> sluice_error_t* {
    if (!engine || !out || !len) return invalid_argument("sluice_engine_stats: NULL argument");
    std::string s = engine->impl->stats_json();
    char* buf = static_cast<char*>(std::malloc(s.size() + 1));
    if (!buf) throw std::bad_alloc();
    std::memcpy(buf, s.c_str(), s.size() + 1);
    *out = buf;
    *len = s.size();
    return nullptr;
  });
}

SLUICE_API void sluice_batch_destroy(sluice_batch_t* batch) {
  if (!batch || batch->borrowed) return;  // a handler's batch belongs to the worker
  (void)guard([&]() -> sluice_error_t* {
    eng::batch_destroy(batch);
    return nullptr;
  });
}

SLUICE_API sluice_error_t* sluice_batch_ack(sluice_batch_t* batch) {
  return guard([&]() -> sluice_error_t* {
    if (!batch) return invalid_argument("sluice_batch_ack: batch is NULL");
    return from_status(eng::batch_complete(batch, true));
  });
}

SLUICE_API sluice_error_t* sluice_batch_fail(sluice_batch_t* batch) {
  return guard([&]() -> sluice_error_t* {
    if (!batch) return invalid_argument("sluice_batch_fail: batch is NULL");
    return from_status(eng::batch_complete(batch, false));
  });
}

SLUICE_API sluice_error_t* sluice_batch_event(const sluice_batch_t* batch, const uint8_t** data,
                                              uint64_t* len) {
  return guard([&]() -> sluice_error_t* {
    if (!batch || !data || !len) return invalid_argument("sluice_batch_event: NULL argument");
    return from_status(eng::batch_event(batch, data, len));
  });
}

SLUICE_API sluice_error_t* sluice_batch_records(const sluice_batch_t* batch,
                                                const sluice_record_t** records,
                                                uint64_t* count) {
  return guard([&]() -> sluice_error_t* {
    if (!batch || !records || !count) return invalid_argument("sluice_batch_records: NULL argument");
    *records = batch->data->records.data();
    *count = batch->data->records.size();
    return nullptr;
  });
}

SLUICE_API sluice_error_t* sluice_batch_headers(const sluice_batch_t* batch,
                                                const sluice_header_t** headers,
                                                uint64_t* count) {
  return guard([&]() -> sluice_error_t* {
    if (!batch || !headers || !count) return invalid_argument("sluice_batch_headers: NULL argument");
    *headers = batch->data->headers.data();
    *count = batch->data->headers.size();
    return nullptr;
  });
}

SLUICE_API const char* sluice_batch_topic(const sluice_batch_t* batch) {
  return batch ? eng::batch_topic(batch) : "";
}
SLUICE_API int32_t sluice_batch_partition(const sluice_batch_t* batch) {
  return batch ? batch->data->partition : -1;
}
SLUICE_API uint32_t sluice_batch_flags(const sluice_batch_t* batch) {
  return batch ? batch->flags : 0;
}
SLUICE_API uint32_t sluice_batch_attempt(const sluice_batch_t* batch) {
  return batch ? batch->attempt : 0;
}

}  // extern "C"
