#include "tools/train/batch_prefetcher.h"

#include <stdexcept>
#include <utility>

namespace mote::tools {

BatchPrefetcher::BatchPrefetcher(BalancedBatches& source, std::size_t size, std::size_t batches,
                                 std::size_t depth)
    : depth_(depth == 0 ? 1 : depth), remaining_(batches) {
  thread_ = std::thread([this, &source, size, batches] { run(source, size, batches); });
}

BatchPrefetcher::~BatchPrefetcher() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void BatchPrefetcher::run(BalancedBatches& source, std::size_t size, std::size_t batches) {
  try {
    for (std::size_t i = 0; i < batches; ++i) {
      WindowBatch batch = source.next(size);
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return stop_ || ready_.size() < depth_; });
      if (stop_) return;
      ready_.push_back(std::move(batch));
      changed_.notify_all();
    }
  } catch (...) {
    std::lock_guard lock(mutex_);
    error_ = std::current_exception();
    changed_.notify_all();
  }
}

WindowBatch BatchPrefetcher::next() {
  std::unique_lock lock(mutex_);
  if (remaining_ == 0) throw std::logic_error("batch prefetcher: every batch was taken");
  changed_.wait(lock, [this] { return !ready_.empty() || error_; });
  if (ready_.empty()) std::rethrow_exception(error_);
  WindowBatch batch = std::move(ready_.front());
  ready_.pop_front();
  --remaining_;
  changed_.notify_all();
  return batch;
}

}  // namespace mote::tools
