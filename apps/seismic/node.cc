#include "apps/seismic/node.h"

#include <cmath>

namespace mote::seismic {

void SeismicNode::start(const NodeClock& clock) {
  clock_ = clock;
  events_ = 0;
  clipped_ = false;
  if (detector_ != nullptr) detector_->reset();
}

Status SeismicNode::push(const float sample[dsp::kComponents]) {
  if (detector_ == nullptr || sink_ == nullptr || sample == nullptr) {
    return Status::kInvalidArgument;
  }
  for (int c = 0; c < dsp::kComponents; ++c) {
    if (std::fabs(sample[c]) >= kAdcFullScaleCounts) clipped_ = true;
  }
  uint32_t count = 0;
  MOTE_RETURN_IF_ERROR(detector_->push(sample, picks_, sizeof(picks_) / sizeof(picks_[0]), &count));
  return emit(picks_, count);
}

Status SeismicNode::finish() {
  if (detector_ == nullptr || sink_ == nullptr) return Status::kInvalidArgument;
  uint32_t count = 0;
  MOTE_RETURN_IF_ERROR(detector_->flush(picks_, sizeof(picks_) / sizeof(picks_[0]), &count));
  return emit(picks_, count);
}

float SeismicNode::peak_since(uint64_t from) const {
  const dsp::SampleRing* ring = detector_->ring();
  if (ring == nullptr || ring->pushed() == 0) return 0.0f;
  const uint64_t newest = ring->pushed() - 1;
  // A pick lies at most a few seconds back; the ring bounds how far the node can look.
  const uint64_t span = newest >= from ? newest - from + 1 : 1;
  const uint32_t ages = span < ring->size() ? static_cast<uint32_t>(span) : ring->size();
  float peak = 0.0f;
  for (uint32_t age = 0; age < ages; ++age) {
    const float* s = ring->at_age(age);
    for (int c = 0; c < dsp::kComponents; ++c) peak = std::fmax(peak, std::fabs(s[c]));
  }
  return peak;
}

Status SeismicNode::emit(const Pick* picks, uint32_t count) {
  for (uint32_t i = 0; i < count; ++i) {
    const Pick& p = picks[i];
    if (p.phase != Phase::kP && p.phase != Phase::kS) continue;
    Event e;
    e.type = p.phase == Phase::kP ? EventType::kP : EventType::kS;
    const double sample = p.sample > 0.0 ? p.sample : 0.0;
    e.time_cs = pick_time_cs(clock_.stream_start_cs, static_cast<uint64_t>(std::llround(sample)));
    e.time_utc = clock_.utc;
    e.confidence = p.confidence < 0.0f ? 0.0f : (p.confidence > 1.0f ? 1.0f : p.confidence);
    e.amplitude = peak_since(static_cast<uint64_t>(sample));
    e.saturated = clipped_;
    MOTE_RETURN_IF_ERROR(sink_->on_event(e, p));
    clipped_ = false;
    ++events_;
  }
  return Status::kOk;
}

}  // namespace mote::seismic
