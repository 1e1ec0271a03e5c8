// The C shim for errors, version and sluice_free.
#include "capi/src/error_c.h"

#include <cstdlib>

namespace sluice::capi {

namespace {
// Returned when even the error object cannot be allocated: NULL would read as
// success. Never freed (see sluice_error_destroy).
sluice_error oom_error{make_error(SLUICE_ERR_NO_MEMORY, "out of memory")};
}  // namespace

sluice_error_t* to_c_error(Error e) {
  auto* out = new (std::nothrow) sluice_error{std::move(e)};
  return out ? out : &oom_error;
}

bool is_static_error(const sluice_error_t* e) { return e == &oom_error; }

sluice_error_t* invalid_argument(const char* what) {
  return to_c_error(make_error(SLUICE_ERR_INVALID_ARGUMENT, what));
}

sluice_error_t* from_status(Status st) { return st.ok() ? nullptr : to_c_error(st.take()); }

}  // namespace sluice::capi

extern "C" {

SLUICE_API uint32_t sluice_version_number(void) { return SLUICE_VERSION_NUMBER; }

SLUICE_API const char* sluice_version_string(void) {
#define SLUICE_STR2(x) #x
#define SLUICE_STR(x) SLUICE_STR2(x)
  return SLUICE_STR(SLUICE_VERSION_MAJOR) "." SLUICE_STR(SLUICE_VERSION_MINOR) "." SLUICE_STR(
      SLUICE_VERSION_PATCH);
}

SLUICE_API void sluice_error_destroy(sluice_error_t* error) {
  if (error && !sluice::capi::is_static_error(error)) delete error;
}

SLUICE_API sluice_code_t sluice_error_code(const sluice_error_t* error) {
  return error ? error->e.code : SLUICE_ERR_INVALID_ARGUMENT;
}

SLUICE_API const char* sluice_code_name(sluice_code_t code) {
  switch (code) {
    case SLUICE_ERR_INVALID_ARGUMENT: return "SLUICE_ERR_INVALID_ARGUMENT";
    case SLUICE_ERR_UNKNOWN_KEY: return "SLUICE_ERR_UNKNOWN_KEY";
    case SLUICE_ERR_INVALID_VALUE: return "SLUICE_ERR_INVALID_VALUE";
    case SLUICE_ERR_INVALID_PATTERN: return "SLUICE_ERR_INVALID_PATTERN";
    case SLUICE_ERR_INVALID_STATE: return "SLUICE_ERR_INVALID_STATE";
    case SLUICE_ERR_ALREADY_COMPLETED: return "SLUICE_ERR_ALREADY_COMPLETED";
    case SLUICE_ERR_STOPPED: return "SLUICE_ERR_STOPPED";
    case SLUICE_ERR_REVOKED: return "SLUICE_ERR_REVOKED";
    case SLUICE_ERR_TIMEOUT: return "SLUICE_ERR_TIMEOUT";
    case SLUICE_ERR_KAFKA: return "SLUICE_ERR_KAFKA";
    case SLUICE_ERR_NO_MEMORY: return "SLUICE_ERR_NO_MEMORY";
    case SLUICE_ERR_INTERNAL: return "SLUICE_ERR_INTERNAL";
    case SLUICE_ERR_IO: return "SLUICE_ERR_IO";
    default: return "SLUICE_ERR_UNKNOWN";
  }
}

SLUICE_API const char* sluice_error_message(const sluice_error_t* error) {
  return error ? error->e.message.c_str() : "";
}
SLUICE_API int32_t sluice_error_retriable(const sluice_error_t* error) {
  return error && error->e.retriable ? 1 : 0;
}
SLUICE_API const char* sluice_error_key(const sluice_error_t* error) {
  return error ? error->e.key.c_str() : "";
}
SLUICE_API int64_t sluice_error_offset(const sluice_error_t* error) {
  return error ? error->e.offset : -1;
}
SLUICE_API const char* sluice_error_path(const sluice_error_t* error) {
  return error ? error->e.path.c_str() : "";
}

SLUICE_API void sluice_free(void* ptr) { std::free(ptr); }

}  // extern "C"
