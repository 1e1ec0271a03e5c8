// ring.h: a FIFO of fixed-size chunks. std::deque allocates a block every few
// elements; a single growable array copies everything each time it doubles
// (with a deep backlog that was ~2% of the fetch thread: a million pending
// records). Chunks emptied at the front are kept for reuse, so the steady
// state allocates nothing and touches memory that is already warm.
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <utility>
#include <vector>

namespace sluice::engine {

template <typename T>
class Ring {
 public:
  static constexpr size_t kChunk = 1024;  // elements per chunk (a power of two)

  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  T& front() { return chunks_.front()[head_]; }
  const T& front() const { return chunks_.front()[head_]; }
  T& back() { return (*this)[size_ - 1]; }
  T& operator[](size_t i) {
    const size_t at = head_ + i;
    return chunks_[at / kChunk][at % kChunk];
  }
  void push_back(T v) {
    const size_t at = head_ + size_;
    if (at == chunks_.size() * kChunk) chunks_.push_back(take_chunk());
    chunks_[at / kChunk][at % kChunk] = std::move(v);
    ++size_;
  }
  void pop_front() {
    chunks_.front()[head_] = T{};  // drop what it holds now, not when reused
    --size_;
    if (++head_ == kChunk) {
      keep_chunk(std::move(chunks_.front()));
      chunks_.pop_front();
      head_ = 0;
    } else if (size_ == 0) {
      head_ = 0;  // start the one chunk over
    }
  }

 private:
  // A few spare chunks absorb the usual ebb and flow; beyond that memory
  // goes back once a backlog is gone.
  static constexpr size_t kSpares = 4;
  std::unique_ptr<T[]> take_chunk() {
    if (spares_.empty()) return std::make_unique<T[]>(kChunk);
    auto c = std::move(spares_.back());
    spares_.pop_back();
    return c;
  }
  void keep_chunk(std::unique_ptr<T[]> c) {
    if (spares_.size() < kSpares) spares_.push_back(std::move(c));
  }

  std::deque<std::unique_ptr<T[]>> chunks_;
  std::vector<std::unique_ptr<T[]>> spares_;
  size_t head_ = 0;  // index of the front element in chunks_.front()
  size_t size_ = 0;
};

}  // namespace sluice::engine
