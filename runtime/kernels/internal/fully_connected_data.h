// The op data of FULLY_CONNECTED, shared by the reference kernel
// (runtime/kernels/fully_connected.cc, which plans and fills it) and the optimized one
// (runtime/kernels/optimized/), which reads it.
#pragma once

#include <cstdint>

namespace mote {
namespace kernels {
namespace fully_connected_data {

enum class Path : uint32_t { kFloat, kInt8, kInt8Sparse, kInt16Acc32, kInt16Acc64 };

struct OpData {
  Path path;
  uint32_t batches;
  uint32_t accum_depth;
  uint32_t output_depth;
  int32_t input_offset;
  int32_t weights_offset;
  int32_t output_offset;
  int32_t act_min;
  int32_t act_max;
  float float_min;
  float float_max;
  uint32_t num_multipliers;  // 1 (per tensor) or output_depth (per channel)
  // Followed by int32_t multipliers[num_multipliers] and int8_t shifts[num_multipliers].
};

inline int32_t* multipliers(OpData* d) { return reinterpret_cast<int32_t*>(d + 1); }
inline const int32_t* multipliers(const OpData* d) {
  return reinterpret_cast<const int32_t*>(d + 1);
}
inline int8_t* shifts(OpData* d) {
  return reinterpret_cast<int8_t*>(multipliers(d) + d->num_multipliers);
}
inline const int8_t* shifts(const OpData* d) {
  return reinterpret_cast<const int8_t*>(multipliers(d) + d->num_multipliers);
}

}  // namespace fully_connected_data
}  // namespace kernels
}  // namespace mote
