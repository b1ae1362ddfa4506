// Per-op timing of invoke(). The application supplies a clock (host: nanoseconds; Cortex-M:
// instructions or cycles) and the storage for one reading per op; the interpreter calls the
// hooks around every op. No clock, no cost: without a profiler the hooks are skipped.
#pragma once

#include <cstdint>

namespace mote {

class Profiler {
 public:
  // Returns a free-running tick count; the unit is the clock's.
  using Clock = uint64_t (*)(void* user);

  // `op_ticks` holds `capacity` entries; ops beyond it are timed only in the invoke total.
  Profiler(Clock clock, void* user, uint64_t* op_ticks, uint32_t capacity)
      : clock_(clock), user_(user), op_ticks_(op_ticks), capacity_(capacity) {}

  void begin_invoke();
  void begin_op() { op_start_ = clock_(user_); }
  void end_op(uint32_t op_index);
  void end_invoke();

  // Ticks op `op_index` took in the last invoke (0 beyond capacity).
  uint64_t op_ticks(uint32_t op_index) const {
    return op_index < capacity_ ? op_ticks_[op_index] : 0;
  }
  // Ticks of the whole last invoke, hooks included.
  uint64_t invoke_ticks() const { return invoke_ticks_; }
  uint32_t capacity() const { return capacity_; }

 private:
  Clock clock_;
  void* user_;
  uint64_t* op_ticks_;
  uint32_t capacity_;
  uint64_t invoke_start_ = 0;
  uint64_t op_start_ = 0;
  uint64_t invoke_ticks_ = 0;
};

}  // namespace mote
