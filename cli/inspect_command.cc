// mote inspect MODEL [--json]: what a model holds and what it costs — ops, tensors, MACs,
// weights and the exact arena the runtime will use.
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "cli/tensor_format.h"
#include "runtime/interpreter/graph_state.h"
#include "runtime/interpreter/interpreter.h"
#include "tools/analysis/op_cost.h"
#include "tools/host_runtime/host_interpreter.h"
#include "tools/host_runtime/loaded_model.h"

namespace mote::cli {
namespace {

struct InspectOptions {
  std::string model;
  bool json = false;
};

std::vector<std::int32_t> index_list(const flatbuffers::Vector<std::int32_t>* list) {
  if (list == nullptr) return {};
  return std::vector<std::int32_t>(list->begin(), list->end());
}

std::string list_text(const std::vector<std::int32_t>& v) {
  std::string s = "[";
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i > 0) s += ',';
    s += std::to_string(v[i]);
  }
  s += ']';
  return s;
}

std::string tensor_kind(const Model& model, std::uint32_t t) {
  if (model.is_model_input(static_cast<std::int32_t>(t))) return "input";
  if (model.is_model_output(static_cast<std::int32_t>(t))) return "output";
  if (model.constant_data(t) != nullptr) return "constant";
  if (model.is_variable(t)) return "variable";
  return "activation";
}

std::string with_commas(std::uint64_t v) {
  const std::string digits = std::to_string(v);
  std::string s;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) s += ',';
    s += digits[i];
  }
  return s;
}

nlohmann::json arena_json(const ArenaReport& r) {
  return {{"total", r.total},
          {"tensor_table", r.tensor_table},
          {"op_table", r.op_table},
          {"scratch_table", r.scratch_table},
          {"op_data", r.op_data},
          {"variables", r.variables},
          {"head", r.head},
          {"planned", r.planned},
          {"lower_bound", r.lower_bound},
          {"activations_sum", r.activations_sum},
          {"planning_workspace", r.workspace},
          {"plan_order", plan_order_name(r.order)}};
}

void run_inspect(const InspectOptions& options) {
  const auto loaded = tools::LoadedModel::from_file(options.model);
  const Model& model = loaded->model();

  std::unique_ptr<tools::HostInterpreter> host;
  std::string arena_error;
  try {
    host = std::make_unique<tools::HostInterpreter>(*loaded);
  } catch (const std::exception& e) {
    arena_error = e.what();
  }
  GraphState bare;
  bare.model = &model;
  auto view = [&](std::uint32_t t) {
    return host ? host->interpreter().tensor(t) : tensor_view(bare, static_cast<std::int32_t>(t));
  };

  const tools::WeightTotals weights = tools::weight_totals(model);
  const std::uint64_t macs = tools::model_macs(model);

  if (options.json) {
    nlohmann::json out;
    out["model"] = options.model;
    out["model_bytes"] = loaded->bytes().size();
    out["macs"] = macs;
    out["parameters"] = weights.parameters;
    out["weight_bytes"] = weights.bytes;
    if (host) {
      out["arena_bytes"] = host->interpreter().arena_report().total;
      out["arena"] = arena_json(host->interpreter().arena_report());
    } else {
      out["arena_bytes"] = nullptr;
      out["arena_error"] = arena_error;
    }
    out["ops"] = nlohmann::json::array();
    for (std::uint32_t o = 0; o < model.num_ops(); ++o) {
      const char* custom = model.op_custom_code(o);
      out["ops"].push_back({{"index", o},
                            {"op", custom ? custom : builtin_op_name(model.op_code(o))},
                            {"custom", custom != nullptr},
                            {"version", model.op_version(o)},
                            {"inputs", index_list(model.op(o).inputs())},
                            {"outputs", index_list(model.op(o).outputs())},
                            {"macs", tools::op_macs(model, o)}});
    }
    out["tensors"] = nlohmann::json::array();
    for (std::uint32_t t = 0; t < model.num_tensors(); ++t) {
      const Tensor v = view(t);
      nlohmann::json j = {{"index", t},
                          {"name", v.name},
                          {"type", tensor_type_name(v.type)},
                          {"shape", shape_vector(v)},
                          {"kind", tensor_kind(model, t)},
                          {"bytes", v.bytes},
                          {"quantization", quantization_json(v)}};
      if (host) {
        const std::uint32_t loc = host->interpreter().tensor_location(t);
        if (loc == kNoLocation || (loc & kConstantBit) != 0) {
          j["arena_offset"] = nullptr;
        } else {
          j["arena_offset"] = loc;
        }
      }
      out["tensors"].push_back(j);
    }
    out["inputs"] = index_list(model.graph().inputs());
    out["outputs"] = index_list(model.graph().outputs());
    std::puts(out.dump(2).c_str());
    return;
  }

  fmt::print("model    {}  ({} bytes, {} ops, {} tensors)\n\n", options.model,
             with_commas(loaded->bytes().size()), model.num_ops(), model.num_tensors());
  fmt::print("ops\n  {:>4}  {:<28} {:>3}  {:<24} {:>14}\n", "#", "op", "ver", "inputs -> outputs",
             "MACs");
  for (std::uint32_t o = 0; o < model.num_ops(); ++o) {
    const char* custom = model.op_custom_code(o);
    const std::string name = custom ? fmt::format("custom '{}'", custom)
                                    : std::string(builtin_op_name(model.op_code(o)));
    const std::string io = list_text(index_list(model.op(o).inputs())) + " -> " +
                           list_text(index_list(model.op(o).outputs()));
    fmt::print("  {:>4}  {:<28} {:>3}  {:<24} {:>14}\n", o, name, model.op_version(o), io,
               with_commas(tools::op_macs(model, o)));
  }
  fmt::print("\ntensors\n  {:>4}  {:<32} {:<8} {:<16} {:<11} {:>10} {:>10}  {}\n", "#", "name",
             "type", "shape", "kind", "bytes", "offset", "quantization");
  for (std::uint32_t t = 0; t < model.num_tensors(); ++t) {
    const Tensor v = view(t);
    std::string offset = "-";
    if (host) {
      const std::uint32_t loc = host->interpreter().tensor_location(t);
      if (loc != kNoLocation && (loc & kConstantBit) == 0) offset = std::to_string(loc);
    }
    std::string name = v.name;
    if (name.size() > 32) name.replace(0, name.size() - 31, "~");
    fmt::print("  {:>4}  {:<32} {:<8} {:<16} {:<11} {:>10} {:>10}  {}\n", t, name,
               tensor_type_name(v.type), shape_text(v), tensor_kind(model, t), with_commas(v.bytes),
               offset, quantization_text(v));
  }
  fmt::print("\ntotals\n");
  fmt::print("  MACs per invoke    {:>14}\n", with_commas(macs));
  fmt::print("  parameters         {:>14}\n", with_commas(weights.parameters));
  fmt::print("  weight bytes       {:>14}\n", with_commas(weights.bytes));
  if (!host) {
    fmt::print("  arena              cannot plan: {}\n", arena_error);
    return;
  }
  const ArenaReport& r = host->interpreter().arena_report();
  fmt::print(
      "  arena bytes        {:>14}   (exact, for a 16-byte aligned arena; same on every target)\n",
      with_commas(r.total));
  fmt::print("    tables + op data {:>14}   (tensors {}, ops {}, scratch {}, op data {})\n",
             with_commas(r.head - r.variables), r.tensor_table, r.op_table, r.scratch_table,
             r.op_data);
  fmt::print("    variables        {:>14}\n", with_commas(r.variables));
  fmt::print(
      "    activations      {:>14}   (planned, {} order; lower bound {}; all side by side {})\n",
      with_commas(r.planned), plan_order_name(r.order), with_commas(r.lower_bound),
      with_commas(r.activations_sum));
  if (r.total > r.alignment_padding + r.head + r.planned) {
    fmt::print(
        "    planning         {:>14}   (workspace past the tables while planning; it sets the "
        "total)\n",
        with_commas(r.workspace));
  }
}

}  // namespace

void add_inspect_command(CLI::App& app) {
  auto options = std::make_shared<InspectOptions>();
  CLI::App* cmd = app.add_subcommand(
      "inspect", "Show a model's ops, tensors, MACs, weights and exact arena size");
  cmd->add_option("MODEL", options->model, "TFLite model (.tflite)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_flag("--json", options->json, "Print one JSON object instead of tables");
  cmd->callback([options] { run_inspect(*options); });
}

}  // namespace mote::cli
