// The node's link to the receiving side, as the uplink sees it: MQTT over TCP on the host
// (host/mqtt_radio.h); LoRaWAN, LTE-M or BLE on a device. A radio sends packets and reports back
// through a RadioListener when the link comes up or goes down and when a packet was acknowledged.
#pragma once

#include <cstddef>
#include <cstdint>

#include "runtime/core/status.h"

namespace mote::seismic {

// What a radio reports; the uplink implements it.
class RadioListener {
 public:
  // The link is up (MQTT: CONNACK accepted); nothing sent before is in flight any more.
  virtual void on_link_up() = 0;
  // The link went down; packets in flight may or may not have arrived.
  virtual void on_link_down() = 0;
  // The packet sent under `token` was acknowledged by the receiving side (MQTT: PUBACK).
  virtual void on_acknowledged(uint32_t token) = 0;

 protected:
  ~RadioListener() = default;
};

class Radio {
 public:
  // Starts sending an event packet; `*token` names it in on_acknowledged. kIoError when the link
  // cannot take it now (down, or its own buffers full); the caller retries later.
  virtual Status send_event(const uint8_t* packet, size_t size, uint32_t* token) = 0;
  // Sends the node's status (retained, latest wins; its acknowledgement is not reported).
  virtual Status send_status(const uint8_t* packet, size_t size) = 0;

 protected:
  ~Radio() = default;
};

}  // namespace mote::seismic
