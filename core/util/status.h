// status.h: the core's error value. Every fallible core function returns a
// Status (or fills one); capi/ turns it into a sluice_error_t. The core does
// not throw across its own module boundaries except std::bad_alloc, which the
// C shims catch.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "sluice.h"

namespace sluice {

struct Error {
  sluice_code_t code = SLUICE_ERR_INTERNAL;
  std::string message;
  std::string key;      // config key concerned, or empty
  int64_t offset = -1;  // byte offset in the offending value, or -1
  std::string path;     // JSON path inside a pattern, or empty
  bool retriable = false;
};

// A Status is empty on success. Kept as a tiny class (not std::optional) so
// that `if (auto st = f(); !st.ok())` reads the same everywhere.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error e) : err_(new Error(std::move(e))), has_(true) {}  // NOLINT: implicit by design
  Status(const Status& o) : err_(o.has_ ? new Error(*o.err_) : nullptr), has_(o.has_) {}
  Status(Status&& o) noexcept : err_(o.err_), has_(o.has_) { o.err_ = nullptr; o.has_ = false; }
  Status& operator=(Status o) noexcept { std::swap(err_, o.err_); std::swap(has_, o.has_); return *this; }
  ~Status() { delete err_; }

  bool ok() const { return !has_; }
  const Error& error() const { return *err_; }
  Error take() { Error e = std::move(*err_); delete err_; err_ = nullptr; has_ = false; return e; }

 private:
  Error* err_ = nullptr;  // heap so that the success path is one pointer
  bool has_ = false;
};

inline Error make_error(sluice_code_t code, std::string message, std::string key = {}) {
  Error e;
  e.code = code;
  e.message = std::move(message);
  e.key = std::move(key);
  return e;
}

}  // namespace sluice
