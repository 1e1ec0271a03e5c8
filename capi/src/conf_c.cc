// The C shim for configuration. No logic: see core/config/.
#include "capi/src/error_c.h"
#include "capi/src/handles_c.h"

#include <cstdlib>
#include <cstring>

using sluice::capi::guard;
using sluice::capi::invalid_argument;

extern "C" {

SLUICE_API sluice_error_t* sluice_conf_new(sluice_conf_t** out) {
  return guard([&]() -> sluice_error_t* {
    if (!out) return invalid_argument("sluice_conf_new: out is NULL");
    *out = new sluice_conf;
    return nullptr;
  });
}

SLUICE_API void sluice_conf_destroy(sluice_conf_t* conf) { delete conf; }

SLUICE_API sluice_error_t* sluice_conf_set(sluice_conf_t* conf, const char* key,
                                           const char* value) {
  return guard([&]() -> sluice_error_t* {
    if (!conf || !key || !value) return invalid_argument("sluice_conf_set: NULL argument");
    return sluice::capi::from_status(conf->cfg.set(key, value));
  });
}

SLUICE_API sluice_error_t* sluice_conf_get(const sluice_conf_t* conf, const char* key,
                                           char** out) {
  return guard([&]() -> sluice_error_t* {
    if (!conf || !key || !out) return invalid_argument("sluice_conf_get: NULL argument");
    std::string v;
    if (auto st = conf->cfg.get(key, &v); !st.ok()) return sluice::capi::from_status(st);
    char* s = static_cast<char*>(std::malloc(v.size() + 1));
    if (!s) throw std::bad_alloc();
    std::memcpy(s, v.c_str(), v.size() + 1);
    *out = s;
    return nullptr;
  });
}

SLUICE_API sluice_error_t* sluice_conf_set_handler(sluice_conf_t* conf, sluice_handler_fn fn,
                                                   void* opaque) {
  return guard([&]() -> sluice_error_t* {
    if (!conf) return invalid_argument("sluice_conf_set_handler: conf is NULL");
    conf->handler = fn;
    conf->opaque = opaque;
    return nullptr;
  });
}

}  // extern "C"
