// What the picker hands to the node's link: one detected phase arrival. This is the whole
// interface between detection (dsp → model → picker) and communication (packet → queue → radio):
// the picker fills an Event, the link gives it a sequence number, stores it and sends it.
#pragma once

#include <cstdint>

namespace mote::seismic {

// The phase a pick belongs to. The values are the packet's type byte (event_packet.h).
enum class EventType : uint8_t {
  kP = 1,  // compressional (first) arrival
  kS = 2,  // shear (second) arrival
};

// One sample at 100 Hz lasts this many centiseconds; pick times are counted in these ticks.
constexpr uint32_t kCentisecondsPerSample100Hz = 1;

struct Event {
  EventType type = EventType::kP;
  // Pick time in centiseconds (10 ms, one sample at 100 Hz): since the Unix epoch (UTC) when
  // `time_utc` is true, else since the node booted (no time fix yet).
  uint64_t time_cs = 0;
  bool time_utc = true;
  // The model's probability for `type` at the pick, in [0, 1].
  float confidence = 0.0f;
  // Peak absolute amplitude around the pick in raw sensor counts (24-bit ADC: up to 2^23), >= 0.
  float amplitude = 0.0f;
  // The sensor clipped (hit full scale) around the pick, so `amplitude` is a lower bound.
  bool saturated = false;
};

// Returns the pick time in centiseconds of sample `sample_index` of a 100 Hz stream whose sample 0
// was taken at `stream_start_cs` (centiseconds, same time base as Event::time_cs).
constexpr uint64_t pick_time_cs(uint64_t stream_start_cs, uint64_t sample_index) {
  return stream_start_cs + sample_index * kCentisecondsPerSample100Hz;
}

}  // namespace mote::seismic
