// The seismic node's loop from sample to event: raw sample -> Detector (filters, score source,
// picker) -> Event (time, type, confidence, amplitude) -> the sink that stores and sends it.
//
// The same class runs on a device (the sink is the event queue in flash) and in the host
// simulation of `mote demo seismic` (the sink is the persistent queue and MQTT link), so the
// events a demo delivers are the ones the node's code makes.
#pragma once

#include <cstdint>

#include "apps/seismic/detector.h"
#include "apps/seismic/event.h"
#include "runtime/core/status.h"

namespace mote::seismic {

// Receives the node's events. `pick` is the detector's own record of the same arrival
// (fractional sample, peak score), for evaluation and logs; a device sink ignores it.
//
// As ScoreSource: no pure virtual (it needs __cxa_pure_virtual) and no virtual destructor (its
// deleting variant calls operator delete): device images link without the C++ support library.
class EventSink {
 public:
  // Takes one event; a status other than kOk stops the node's push() with that status.
  virtual Status on_event(const Event& event, const Pick& pick) {
    (void)event;
    (void)pick;
    return Status::kUnsupported;
  }

 protected:
  EventSink() = default;
  EventSink(const EventSink&) = default;
  EventSink& operator=(const EventSink&) = default;
  // Not virtual: sinks are never deleted through this interface (there is no heap).
  ~EventSink() = default;
};

struct NodeClock {
  // Centiseconds of the stream's sample 0, since the Unix epoch when `utc`, else since boot.
  uint64_t stream_start_cs = 0;
  bool utc = false;
};

// Largest magnitude a 24-bit ADC reports; a sample at or beyond it is clipped.
constexpr float kAdcFullScaleCounts = 8388607.0f;

class SeismicNode {
 public:
  // `detector` must be initialised and outlive the node; `sink` likewise.
  SeismicNode(Detector* detector, EventSink* sink) : detector_(detector), sink_(sink) {}

  // Starts a new stream (the detector forgets everything) whose sample 0 is at `clock`.
  void start(const NodeClock& clock);

  // Takes one raw sample (E, N, Z counts); every pick it completes goes to the sink as an Event.
  Status push(const float sample[dsp::kComponents]);
  // Ends the stream: open triggers are picked and sent.
  Status finish();

  // Events given to the sink since start().
  uint32_t events() const { return events_; }

 private:
  Status emit(const Pick* picks, uint32_t count);
  // Peak |filtered sample| over all components from stream position `from` to the newest sample:
  // the amplitude of the arrival as far as the detector still holds it.
  float peak_since(uint64_t from) const;

  Detector* detector_;
  EventSink* sink_;
  NodeClock clock_;
  uint32_t events_ = 0;
  // Clipping seen in the raw stream since the last event: its amplitude is then a lower bound.
  bool clipped_ = false;
  Pick picks_[2 * kMaxFramesPerHop] = {};
};

}  // namespace mote::seismic
