// Draws the training batches on a second thread while the network trains on the first: window
// sampling (filtering, augmentation, balancing) costs about as much as a LibTorch step on one
// thread. The batches are the same, in the same order, as drawing them in the loop would give.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>

#include "tools/train/balanced_batches.h"

namespace mote::tools {

class BatchPrefetcher {
 public:
  // Starts drawing `batches` batches of `size` windows from `source` (used only by the thread
  // until the prefetcher is destroyed), keeping at most `depth` ready.
  BatchPrefetcher(BalancedBatches& source, std::size_t size, std::size_t batches,
                  std::size_t depth = 2);
  ~BatchPrefetcher();
  BatchPrefetcher(const BatchPrefetcher&) = delete;
  BatchPrefetcher& operator=(const BatchPrefetcher&) = delete;

  // The next batch; rethrows what the drawing thread threw; throws std::logic_error past the end.
  WindowBatch next();

 private:
  void run(BalancedBatches& source, std::size_t size, std::size_t batches);

  std::size_t depth_;
  std::size_t remaining_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<WindowBatch> ready_;
  std::exception_ptr error_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace mote::tools
