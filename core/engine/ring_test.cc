#include "core/engine/ring.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <deque>
#include <memory>
#include <random>

namespace sluice::engine {
namespace {

// Random pushes and pops across many chunk boundaries agree with std::deque,
// element by element, through growth, draining to empty and regrowth.
TEST(Ring, AgreesWithDequeAcrossChunks) {
  Ring<uint64_t> ring;
  std::deque<uint64_t> ref;
  std::mt19937_64 rng(7);
  uint64_t next = 0;
  for (int step = 0; step < 200000; ++step) {
    // Phases that mostly grow, then mostly shrink, so the size crosses many
    // chunks both ways and empties now and then.
    const bool growing = (step / 5000) % 2 == 0;
    const bool push = ref.empty() || (rng() % 100) < (growing ? 70u : 30u);
    if (push) {
      ring.push_back(next);
      ref.push_back(next);
      ++next;
    } else {
      ASSERT_EQ(ring.front(), ref.front());
      ring.pop_front();
      ref.pop_front();
    }
    ASSERT_EQ(ring.size(), ref.size());
    ASSERT_EQ(ring.empty(), ref.empty());
    if (!ref.empty()) {
      ASSERT_EQ(ring.back(), ref.back());
      const size_t i = rng() % ref.size();
      ASSERT_EQ(ring[i], ref[i]);
    }
  }
  for (size_t i = 0; i < ref.size(); ++i) ASSERT_EQ(ring[i], ref[i]);
  ring.back() = 42;  // back() is writable (filtered records extend it)
  if (!ref.empty()) EXPECT_EQ(ring[ref.size() - 1], 42u);
}

// Popping releases what an element holds at once, not when its slot is reused.
TEST(Ring, PopReleasesTheElement) {
  Ring<std::shared_ptr<int>> ring;
  auto p = std::make_shared<int>(1);
  ring.push_back(p);
  EXPECT_EQ(p.use_count(), 2);
  ring.pop_front();
  EXPECT_EQ(p.use_count(), 1);
  EXPECT_TRUE(ring.empty());
}

}  // namespace
}  // namespace sluice::engine
