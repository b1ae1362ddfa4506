// The converters of ONNX ops, registered by family (one file each).
#pragma once

#include <string>
#include <unordered_map>

#include "tools/onnx/importer.h"

namespace mote::tools::onnx_import {

using ConverterTable = std::unordered_map<std::string, Converter>;

void register_conv_converters(ConverterTable& table);         // convert_conv.cc
void register_pool_converters(ConverterTable& table);         // convert_pool.cc
void register_dense_converters(ConverterTable& table);        // convert_dense.cc
void register_elementwise_converters(ConverterTable& table);  // convert_elementwise.cc
void register_shape_converters(ConverterTable& table);        // convert_shape.cc

}  // namespace mote::tools::onnx_import
