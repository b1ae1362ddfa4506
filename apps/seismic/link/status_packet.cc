#include "apps/seismic/link/status_packet.h"

#include "apps/seismic/link/crc16.h"
#include "apps/seismic/link/little_endian.h"

namespace mote::seismic {

Status encode_status_packet(const StatusPacket& status, uint8_t* out,
                            const ErrorReporter* reporter) {
  if (out == nullptr) return report_error(reporter, Status::kInvalidArgument, "null output");
  if (status.next_sequence >= (1u << 24)) {
    return report_error(reporter, Status::kInvalidArgument,
                        "status next_sequence %u does not fit 24 bits",
                        static_cast<unsigned>(status.next_sequence));
  }
  out[0] =
      static_cast<uint8_t>((kStatusPacketVersion << 4) | (status.online ? kStatusFlagOnline : 0));
  put_le(out + 1, status.battery_mv, 2);
  put_le(out + 3, status.queue_depth, 2);
  put_le(out + 5, status.next_sequence, 3);
  put_le(out + 8, status.dropped, 2);
  put_le(out + 10, status.uptime_s, 4);
  put_le(out + 14, crc16_ccitt(out, kStatusPacketBytes - 2), 2);
  return Status::kOk;
}

Status decode_status_packet(const uint8_t* data, size_t size, StatusPacket* out,
                            const ErrorReporter* reporter) {
  if (data == nullptr && size > 0) {
    return report_error(reporter, Status::kInvalidArgument, "null status data");
  }
  if (size != kStatusPacketBytes) {
    return report_error(reporter, Status::kMalformedData,
                        "status packet refused: %zu bytes, expected %zu", size, kStatusPacketBytes);
  }
  if ((data[0] >> 4) != kStatusPacketVersion) {
    return report_error(
        reporter, Status::kMalformedData, "status packet refused: version %u, this reader knows %u",
        static_cast<unsigned>(data[0] >> 4), static_cast<unsigned>(kStatusPacketVersion));
  }
  const uint16_t stored = static_cast<uint16_t>(get_le(data + 14, 2));
  const uint16_t computed = crc16_ccitt(data, kStatusPacketBytes - 2);
  if (stored != computed) {
    return report_error(reporter, Status::kMalformedData,
                        "status packet refused: checksum 0x%04x, computed 0x%04x",
                        static_cast<unsigned>(stored), static_cast<unsigned>(computed));
  }
  if ((data[0] & 0xF & ~kStatusFlagOnline) != 0) {
    return report_error(reporter, Status::kMalformedData,
                        "status packet refused: reserved flag bits set (0x%x)",
                        static_cast<unsigned>(data[0] & 0xF));
  }
  if (out != nullptr) {
    out->online = (data[0] & kStatusFlagOnline) != 0;
    out->battery_mv = static_cast<uint16_t>(get_le(data + 1, 2));
    out->queue_depth = static_cast<uint16_t>(get_le(data + 3, 2));
    out->next_sequence = static_cast<uint32_t>(get_le(data + 5, 3));
    out->dropped = static_cast<uint16_t>(get_le(data + 8, 2));
    out->uptime_s = static_cast<uint32_t>(get_le(data + 10, 4));
  }
  return Status::kOk;
}

}  // namespace mote::seismic
