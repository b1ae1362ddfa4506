#include "apps/seismic/link/event_text.h"

#include "runtime/core/format.h"

namespace mote::seismic {

const char* event_type_label(EventType type) {
  return type == EventType::kS ? "S-Arrival" : "P-Arrival";
}

size_t event_packet_hex(const uint8_t* packet, char* out, size_t capacity) {
  if (packet == nullptr || out == nullptr || capacity < kEventPacketHexChars) return 0;
  static const char kDigits[] = "0123456789abcdef";
  for (size_t i = 0; i < kEventPacketBytes; ++i) {
    out[2 * i] = kDigits[packet[i] >> 4];
    out[2 * i + 1] = kDigits[packet[i] & 15];
  }
  out[2 * kEventPacketBytes] = '\0';
  return 2 * kEventPacketBytes;
}

size_t event_packet_json_text(const EventPacket& packet, char* out, size_t capacity) {
  if (out == nullptr || capacity < kEventJsonChars) return 0;
  // Confidence with three decimals, rounded as the host's form rounds it: byte / 255 is never
  // exactly halfway between two thousandths (255 is odd), so integer rounding agrees.
  const uint32_t milli = (static_cast<uint32_t>(packet.confidence) * 2000u + 255u) / 510u;
  // format_message has no field widths: the zero-padded fractions are spelled out here.
  const uint32_t cs = static_cast<uint32_t>(packet.time_cs % 100);
  const char hundredths[3] = {static_cast<char>('0' + cs / 10), static_cast<char>('0' + cs % 10),
                              '\0'};
  const uint32_t m = milli % 1000;
  const char thousandths[4] = {static_cast<char>('0' + m / 100),
                               static_cast<char>('0' + m / 10 % 10),
                               static_cast<char>('0' + m % 10), '\0'};
  return format_message(out, capacity,
                        "{\"event\":\"%s\",\"seq\":%lu,\"timestamp\":%llu.%s,\"time_base\":\"%s\","
                        "\"confidence\":%u.%s,\"amplitude\":%llu,\"saturated\":%s}",
                        event_type_label(packet.type), static_cast<unsigned long>(packet.sequence),
                        static_cast<unsigned long long>(packet.time_cs / 100), hundredths,
                        (packet.flags & kFlagTimeUtc) != 0 ? "utc" : "boot",
                        static_cast<unsigned>(milli / 1000), thousandths,
                        static_cast<unsigned long long>(decode_amplitude(packet.amplitude)),
                        (packet.flags & kFlagSaturated) != 0 ? "true" : "false");
}

}  // namespace mote::seismic
