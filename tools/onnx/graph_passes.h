// Passes over the imported float graph that give it the shape TFLite's converter gives its own
// models: constant scales and offsets folded into the weights before them, activations fused, no
// dead or redundant ops, and the op versions the converter writes for float models. They work on
// any float Graph, not only imported ones.
#pragma once

#include "tools/graph/graph.h"

namespace mote::tools {

// Folds MUL / ADD / SUB by a per-channel (or scalar) constant into the CONV_2D,
// DEPTHWISE_CONV_2D, FULLY_CONNECTED or TRANSPOSE_CONV before it (BatchNormalization arrives as
// MUL + ADD); returns how many ops were folded.
int fold_affine_into_weights(Graph& graph);

// Fuses RELU, RELU6 and RELU_N1_TO_1 into the CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED, ADD,
// SUB or MUL before it (TFLite's fused_activation_function); returns how many were fused.
int fuse_activations(Graph& graph);

// Removes ops whose results nobody reads, merges RESHAPE chains, drops RESHAPEs that keep the
// shape, and unused tensors.
void remove_redundant_ops(Graph& graph);

// Sets every op's version to what TensorFlow Lite's converter writes for a float model
// (tensorflow/lite/tools/versioning/op_version.cc).
void set_float_op_versions(Graph& graph);

}  // namespace mote::tools
