// The JSON debug form of the link's packets (host only), e.g.
//   {"event":"P-Arrival","seq":17,"timestamp":1710777123.45,"time_base":"utc",
//    "confidence":0.937,"amplitude":52224,"saturated":false}
// timestamp is in seconds with the packet's 0.01 s resolution; confidence has three decimals,
// enough to give back the packet's byte (steps of 1/255); amplitude is in sensor counts. The
// form converts back to the same packet, so it can also be typed in to inject test events.
#pragma once

#include <nlohmann/json.hpp>

#include "apps/seismic/link/event_packet.h"
#include "apps/seismic/link/event_text.h"
#include "apps/seismic/link/status_packet.h"

namespace mote::seismic {

// Returns the JSON form of a valid event packet.
nlohmann::ordered_json event_packet_json(const EventPacket& packet);

// Parses the JSON form back to a packet ("seq", "time_base" and "saturated" may be left out:
// 0, "utc", false). Throws std::invalid_argument naming the field for a missing or unknown key,
// a wrong type, or a value outside the packet's range.
EventPacket event_packet_from_json(const nlohmann::json& json);

// Returns the JSON form of a status packet:
//   {"online":true,"battery_mv":3600,"queue_depth":0,"next_seq":300,"dropped":0,"uptime_s":42}
nlohmann::ordered_json status_packet_json(const StatusPacket& status);

}  // namespace mote::seismic
