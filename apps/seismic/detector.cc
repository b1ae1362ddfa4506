#include "apps/seismic/detector.h"

namespace mote::seismic {

Status Detector::init(const DetectorConfig& config, const ErrorReporter* reporter) {
  ready_ = false;
  reporter_ = reporter;
  if (ring_ == nullptr || source_ == nullptr) {
    return report_error(reporter, Status::kInvalidArgument, "detector: null ring or source");
  }
  if (config.hop_samples == 0) {
    return report_error(reporter, Status::kInvalidArgument, "detector: hop of 0 samples");
  }
  const FrameTiming timing = source_->timing(config.hop_samples);
  if (timing.frames_per_hop == 0 || timing.frames_per_hop > kMaxFramesPerHop) {
    return report_error(reporter, Status::kInvalidArgument,
                        "detector: the source writes %u frames per hop; 1..%u fit",
                        static_cast<unsigned>(timing.frames_per_hop),
                        static_cast<unsigned>(kMaxFramesPerHop));
  }
  const uint32_t history = source_->history_samples(config.hop_samples);
  if (ring_->capacity() < history || ring_->capacity() < config.hop_samples) {
    return report_error(reporter, Status::kInvalidArgument,
                        "detector: the ring holds %u samples; the source reads %u, a hop is %u",
                        static_cast<unsigned>(ring_->capacity()), static_cast<unsigned>(history),
                        static_cast<unsigned>(config.hop_samples));
  }
  if (config.picker.sample_rate_hz != config.features.sample_rate_hz) {
    return report_error(reporter, Status::kInvalidArgument,
                        "detector: picker at %f Hz, features at %f Hz",
                        config.picker.sample_rate_hz, config.features.sample_rate_hz);
  }
  MOTE_RETURN_IF_ERROR(features_.init(config.features, reporter));
  MOTE_RETURN_IF_ERROR(picker_.init(config.picker, timing, reporter));
  config_ = config;
  frames_per_hop_ = timing.frames_per_hop;
  ready_ = true;
  reset();
  return Status::kOk;
}

void Detector::reset() {
  if (ring_ != nullptr) ring_->reset();
  if (source_ != nullptr) source_->reset();
  features_.reset();
  picker_.reset();
  picker_.ignore_before(static_cast<double>(armed_from()));
  in_hop_ = 0;
}

uint64_t Detector::armed_from() const {
  if (source_ == nullptr) return 0;
  const uint64_t warmup = source_->warmup_samples();
  const uint64_t history = source_->history_samples(config_.hop_samples);
  return warmup > history ? warmup : history;
}

Status Detector::push(const float sample[dsp::kComponents], Pick* out, uint32_t capacity,
                      uint32_t* count) {
  if (count == nullptr || sample == nullptr || out == nullptr) {
    return report_error(reporter_, Status::kInvalidArgument, "detector: null argument");
  }
  *count = 0;
  if (!ready_) {
    return report_error(reporter_, Status::kNotAllocated,
                        "detector: push before a successful init");
  }
  float filtered[dsp::kComponents];
  features_.push(sample, filtered);
  ring_->push(filtered);
  if (++in_hop_ < config_.hop_samples) return Status::kOk;
  in_hop_ = 0;
  MOTE_RETURN_IF_ERROR(source_->score_hop(*ring_, config_.hop_samples, scores_, reporter_));
  const uint64_t hop_first = ring_->pushed() - config_.hop_samples;
  MOTE_RETURN_IF_ERROR(picker_.push_hop(scores_, hop_first, out, capacity, count, reporter_));
  for (uint32_t i = 0; i < *count; ++i) out[i].confidence = source_->confidence(out[i].peak_score);
  return Status::kOk;
}

Status Detector::flush(Pick* out, uint32_t capacity, uint32_t* count) {
  if (!ready_) {
    return report_error(reporter_, Status::kNotAllocated,
                        "detector: flush before a successful init");
  }
  MOTE_RETURN_IF_ERROR(picker_.flush(out, capacity, count, reporter_));
  for (uint32_t i = 0; i < *count; ++i) out[i].confidence = source_->confidence(out[i].peak_score);
  return Status::kOk;
}

}  // namespace mote::seismic
