#include "apps/seismic/link/host/packet_json.h"

#include <cmath>
#include <set>
#include <stdexcept>
#include <string>

namespace mote::seismic {
namespace {

const nlohmann::json& field(const nlohmann::json& json, const char* key) {
  const auto it = json.find(key);
  if (it == json.end())
    throw std::invalid_argument(std::string("event JSON lacks \"") + key + "\"");
  return *it;
}

double number_field(const nlohmann::json& json, const char* key, double lo, double hi) {
  const nlohmann::json& v = field(json, key);
  if (!v.is_number()) {
    throw std::invalid_argument(std::string("event JSON \"") + key + "\" must be a number");
  }
  const double x = v.get<double>();
  if (!(x >= lo && x <= hi)) {
    throw std::invalid_argument(std::string("event JSON \"") + key + "\" = " + v.dump() +
                                " is outside [" + std::to_string(lo) + ", " + std::to_string(hi) +
                                "]");
  }
  return x;
}

uint64_t integer_field(const nlohmann::json& json, const char* key, uint64_t hi) {
  const nlohmann::json& v = field(json, key);
  if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<int64_t>() >= 0)) {
    throw std::invalid_argument(std::string("event JSON \"") + key + "\" must be an integer >= 0");
  }
  const uint64_t x = v.get<uint64_t>();
  if (x > hi) {
    throw std::invalid_argument(std::string("event JSON \"") + key + "\" = " + v.dump() +
                                " exceeds " + std::to_string(hi));
  }
  return x;
}

}  // namespace

nlohmann::ordered_json event_packet_json(const EventPacket& packet) {
  return {{"event", event_type_label(packet.type)},
          {"seq", packet.sequence},
          {"timestamp", static_cast<double>(packet.time_cs) / 100.0},
          {"time_base", (packet.flags & kFlagTimeUtc) != 0 ? "utc" : "boot"},
          {"confidence", std::round(packet.confidence / 255.0 * 1000.0) / 1000.0},
          {"amplitude", decode_amplitude(packet.amplitude)},
          {"saturated", (packet.flags & kFlagSaturated) != 0}};
}

EventPacket event_packet_from_json(const nlohmann::json& json) {
  if (!json.is_object()) throw std::invalid_argument("event JSON must be an object");
  static const std::set<std::string> known = {"event",      "seq",       "timestamp", "time_base",
                                              "confidence", "amplitude", "saturated"};
  for (const auto& [key, value] : json.items()) {
    if (known.count(key) == 0) {
      throw std::invalid_argument("event JSON has unknown key \"" + key + "\"");
    }
  }
  EventPacket p;
  const nlohmann::json& type = field(json, "event");
  if (type == "P-Arrival") {
    p.type = EventType::kP;
  } else if (type == "S-Arrival") {
    p.type = EventType::kS;
  } else {
    throw std::invalid_argument("event JSON \"event\" = " + type.dump() +
                                " is neither \"P-Arrival\" nor \"S-Arrival\"");
  }
  // "seq" may be left out where the sender assigns it (mote node-send).
  if (json.contains("seq")) {
    p.sequence = static_cast<uint32_t>(integer_field(json, "seq", kSequenceMask));
  }
  p.time_cs = static_cast<uint64_t>(std::llround(
      number_field(json, "timestamp", 0.0, static_cast<double>(kMaxTimeCs) / 100.0) * 100.0));
  p.confidence =
      static_cast<uint8_t>(std::lround(number_field(json, "confidence", 0.0, 1.0) * 255.0));
  bool clamped = false;
  p.amplitude = encode_amplitude(
      static_cast<double>(integer_field(json, "amplitude", kMaxAmplitudeCounts)), &clamped);
  bool utc = true;
  if (json.contains("time_base")) {
    const nlohmann::json& base = json["time_base"];
    if (base != "utc" && base != "boot") {
      throw std::invalid_argument("event JSON \"time_base\" = " + base.dump() +
                                  " is neither \"utc\" nor \"boot\"");
    }
    utc = base == "utc";
  }
  bool saturated = false;
  if (json.contains("saturated")) {
    if (!json["saturated"].is_boolean()) {
      throw std::invalid_argument("event JSON \"saturated\" must be true or false");
    }
    saturated = json["saturated"].get<bool>();
  }
  p.flags = static_cast<uint8_t>((utc ? kFlagTimeUtc : 0) | (saturated ? kFlagSaturated : 0));
  return p;
}

nlohmann::ordered_json status_packet_json(const StatusPacket& status) {
  return {{"online", status.online},           {"battery_mv", status.battery_mv},
          {"queue_depth", status.queue_depth}, {"next_seq", status.next_sequence},
          {"dropped", status.dropped},         {"uptime_s", status.uptime_s}};
}

}  // namespace mote::seismic
