#include "tools/quantize/calibrator.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "tools/quantize/graph_runner.h"

namespace mote::tools {
namespace {

constexpr int kLstmCellState = 19;

// Replays one UNIDIRECTIONAL_SEQUENCE_LSTM step by step with the runtime's float kernel, so that
// the cell state can be read after every time step: a model of that op alone with a sequence of
// length one, whose variable tensors carry the state from one invoke to the next.
class LstmStepper {
 public:
  LstmStepper(const Graph& graph, const GraphOp& op) {
    input_ = op.input(0);
    cell_ = op.input(kLstmCellState);
    const GraphTensor& in = graph.tensors.at(static_cast<std::size_t>(input_));
    const auto* options = op.options.AsUnidirectionalSequenceLSTMOptions();
    time_major_ = options != nullptr && options->time_major;
    if (in.shape.size() != 3) throw std::runtime_error("LSTM input must have rank 3");
    steps_ = static_cast<std::size_t>(time_major_ ? in.shape[0] : in.shape[1]);
    batch_ = static_cast<std::size_t>(time_major_ ? in.shape[1] : in.shape[0]);
    features_ = static_cast<std::size_t>(in.shape[2]);

    Graph step;
    GraphOp step_op = op;
    step_op.intermediates.clear();
    for (std::size_t i = 0; i < op.inputs.size(); ++i) {
      const std::int32_t t = op.inputs[i];
      if (t < 0) continue;
      GraphTensor copy = graph.tensors.at(static_cast<std::size_t>(t));
      if (i == 0) {
        copy.shape = time_major_ ? std::vector<std::int32_t>{1, static_cast<std::int32_t>(batch_),
                                                             static_cast<std::int32_t>(features_)}
                                 : std::vector<std::int32_t>{static_cast<std::int32_t>(batch_), 1,
                                                             static_cast<std::int32_t>(features_)};
        copy.shape_signature.clear();
      }
      step_op.inputs[i] = step.add_tensor(std::move(copy));
      if (i == 0) step.inputs.push_back(step_op.inputs[i]);
      if (static_cast<int>(i) == kLstmCellState) step_cell_ = step_op.inputs[i];
    }
    GraphTensor out = graph.tensors.at(static_cast<std::size_t>(op.outputs.at(0)));
    const std::int32_t hidden = static_cast<std::int32_t>(out.shape.back());
    out.shape = time_major_
                    ? std::vector<std::int32_t>{1, static_cast<std::int32_t>(batch_), hidden}
                    : std::vector<std::int32_t>{static_cast<std::int32_t>(batch_), 1, hidden};
    out.shape_signature.clear();
    step_op.outputs = {step.add_tensor(std::move(out))};
    step.outputs = step_op.outputs;
    step.ops.push_back(std::move(step_op));
    runner_ = std::make_unique<GraphRunner>(step, "the LSTM step model");
  }

  std::int32_t input_tensor() const { return input_; }
  std::int32_t cell_tensor() const { return cell_; }

  // Runs the whole sequence `x` (the op's input) and hands the cell state after each step to
  // `observe`.
  template <typename Observe>
  void replay(const std::vector<float>& x, Observe observe) {
    runner_->reset_state();
    std::vector<float> step_input(batch_ * features_);
    for (std::size_t s = 0; s < steps_; ++s) {
      for (std::size_t b = 0; b < batch_; ++b) {
        const std::size_t from =
            time_major_ ? (s * batch_ + b) * features_ : (b * steps_ + s) * features_;
        std::copy_n(x.begin() + static_cast<std::ptrdiff_t>(from), features_,
                    step_input.begin() + static_cast<std::ptrdiff_t>(b * features_));
      }
      runner_->set_input_values(0, step_input);
      runner_->invoke();
      const Tensor cell = runner_->interpreter().tensor(static_cast<std::uint32_t>(step_cell_));
      observe(float_values(cell));
    }
  }

 private:
  std::int32_t input_ = -1;
  std::int32_t cell_ = -1;
  std::int32_t step_cell_ = -1;
  bool time_major_ = false;
  std::size_t steps_ = 0, batch_ = 0, features_ = 0;
  std::unique_ptr<GraphRunner> runner_;
};

}  // namespace

RealRange Calibration::range(std::int32_t t, TensorType type) const {
  const auto cell = cell_states.find(t);
  const TensorStats& stats =
      cell != cell_states.end() ? cell->second : tensors.at(static_cast<std::size_t>(t));
  if (stats.empty()) {
    throw std::runtime_error(fmt::format("tensor {} was never observed during calibration", t));
  }
  return stats.choose(options, type);
}

Calibration calibrate(const Graph& graph, const SampleSet& data, const RangeOptions& options,
                      const ProgressFn& progress) {
  if (data.count == 0) throw std::runtime_error("calibration needs at least one sample");
  if (data.inputs.size() != graph.inputs.size()) {
    throw std::runtime_error(fmt::format("the model has {} inputs; the data has {}",
                                         graph.inputs.size(), data.inputs.size()));
  }
  Calibration result;
  result.options = options;
  result.samples = data.count;
  result.tensors.resize(graph.tensors.size());

  GraphRunner runner(graph, "the float model");
  std::vector<LstmStepper> steppers;
  for (const GraphOp& op : graph.ops) {
    if (op.code == tflite::BuiltinOperator::UNIDIRECTIONAL_SEQUENCE_LSTM) {
      steppers.emplace_back(graph, op);
      result.cell_states[steppers.back().cell_tensor()];
    }
  }
  // Inputs of the LSTMs, copied right after the op that writes them (their bytes may be reused
  // before the LSTM's own observer call).
  std::map<std::int32_t, std::vector<float>> lstm_inputs;
  for (const LstmStepper& s : steppers) lstm_inputs[s.input_tensor()];

  const bool histogram = options.method != RangeMethod::kMinMax;
  const int passes = histogram ? 2 : 1;
  for (int pass = 0; pass < passes; ++pass) {
    if (pass == 1) {
      for (TensorStats& s : result.tensors) {
        if (!s.empty()) s.start_histogram(options.bins);
      }
      for (auto& [t, s] : result.cell_states) s.start_histogram(options.bins);
    }
    auto observe = [&](TensorStats& s, std::span<const float> values) {
      if (pass == 0) {
        s.observe_range(values);
      } else {
        s.observe_histogram(values);
      }
    };
    const std::string stage = passes == 1 ? "calibrating"
                              : pass == 0 ? "calibrating (ranges, pass 1/2)"
                                          : "calibrating (histograms, pass 2/2)";
    for (std::size_t n = 0; n < data.count; ++n) {
      runner.reset_state();
      for (std::size_t i = 0; i < graph.inputs.size(); ++i) {
        const std::span<const float> sample = data.sample(i, n);
        runner.set_input_values(static_cast<std::uint32_t>(i), sample);
        const std::int32_t t = graph.inputs[i];
        observe(result.tensors[static_cast<std::size_t>(t)], sample);
        auto wanted = lstm_inputs.find(t);
        if (wanted != lstm_inputs.end()) wanted->second.assign(sample.begin(), sample.end());
      }
      runner.invoke([&](std::uint32_t o) {
        for (std::int32_t t : op_outputs(runner.model(), o)) {
          const std::span<const float> values =
              float_values(runner.interpreter().tensor(static_cast<std::uint32_t>(t)));
          if (values.empty()) continue;  // not a float tensor
          observe(result.tensors[static_cast<std::size_t>(t)], values);
          auto wanted = lstm_inputs.find(t);
          if (wanted != lstm_inputs.end()) wanted->second.assign(values.begin(), values.end());
        }
      });
      for (LstmStepper& s : steppers) {
        s.replay(lstm_inputs[s.input_tensor()], [&](std::span<const float> cell) {
          observe(result.cell_states[s.cell_tensor()], cell);
        });
      }
      if (progress) progress(stage, n + 1, data.count);
    }
  }
  return result;
}

}  // namespace mote::tools
