// error_c.h: the C error object and the exception firewall every shim uses.
#pragma once

#include <exception>
#include <new>
#include <utility>

#include "core/util/status.h"
#include "sluice.h"

struct sluice_error {
  sluice::Error e;
};

namespace sluice::capi {

sluice_error_t* to_c_error(Error e);
sluice_error_t* invalid_argument(const char* what);
sluice_error_t* from_status(Status st);
bool is_static_error(const sluice_error_t* e);

// Runs fn (returning sluice_error_t*) and turns any escaping exception into an
// error object, so nothing but a plain return crosses the ABI.
template <typename Fn>
sluice_error_t* guard(Fn&& fn) noexcept {
  try {
    return std::forward<Fn>(fn)();
  } catch (const std::bad_alloc&) {
    return to_c_error(make_error(SLUICE_ERR_NO_MEMORY, "out of memory"));
  } catch (const std::exception& ex) {
    return to_c_error(make_error(SLUICE_ERR_INTERNAL, std::string("internal error: ") + ex.what()));
  } catch (...) {
    return to_c_error(make_error(SLUICE_ERR_INTERNAL, "internal error: unknown exception"));
  }
}

}  // namespace sluice::capi
