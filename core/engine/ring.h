// ring.h: a growable FIFO ring buffer. std::deque allocates a block every few
// dozen elements; on the per-record path we want zero steady-state allocation.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace sluice::engine {

template <typename T>
class Ring {
 public:
  bool empty() const { return size_ == 0; }
  size_t size() const { return size_; }
  T& front() { return buf_[head_]; }
  const T& front() const { return buf_[head_]; }
  T& back() { return buf_[(head_ + size_ - 1) & (buf_.size() - 1)]; }
  T& operator[](size_t i) { return buf_[(head_ + i) & (buf_.size() - 1)]; }
  void push_back(T v) {
    if (size_ == buf_.size()) grow();
    buf_[(head_ + size_) & (buf_.size() - 1)] = std::move(v);
    ++size_;
  }
  void pop_front() {
    head_ = (head_ + 1) & (buf_.size() - 1);
    --size_;
  }

 private:
  void grow() {
    std::vector<T> n(buf_.empty() ? 64 : buf_.size() * 2);  // power of two
    for (size_t i = 0; i < size_; ++i) n[i] = std::move((*this)[i]);
    buf_.swap(n);
    head_ = 0;
  }
  std::vector<T> buf_;
  size_t head_ = 0, size_ = 0;
};

}  // namespace sluice::engine
