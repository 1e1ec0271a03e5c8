// matcher.h: matches records against a compiled Filter (filter.h). A
// Matcher owns the scratch memory of its record walker (matcher.cc), reused
// from record to record (no allocation per record once warm); use one per
// thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "core/filter/filter.h"

namespace sluice::filter {

namespace internal {
class Walker;
}  // namespace internal

class Matcher {
 public:
  explicit Matcher(std::shared_ptr<const Filter> f);
  ~Matcher();
  Matcher(const Matcher&) = delete;
  Matcher& operator=(const Matcher&) = delete;

  // True when any pattern matches the record. key_null / value_null mean a
  // null key / value (a tombstone), which is not the same as empty bytes.
  bool match(const uint8_t* key, size_t key_len, bool key_null, const uint8_t* value,
             size_t value_len, bool value_null);

  const Filter& filter() const { return *filter_; }

 private:
  std::shared_ptr<const Filter> filter_;
  std::unique_ptr<internal::Walker> walker_;
};

}  // namespace sluice::filter
