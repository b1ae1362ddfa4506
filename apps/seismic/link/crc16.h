// CRC-16/CCITT-FALSE (polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR), the
// checksum of the event and status packets. Bitwise rather than table-driven: packets are 13 to
// 14 bytes, and a 512-byte table costs more flash than the loop costs time.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mote::seismic {

// Returns the CRC of `size` bytes at `data` ("123456789" gives 0x29B1).
uint16_t crc16_ccitt(const uint8_t* data, size_t size);

}  // namespace mote::seismic
