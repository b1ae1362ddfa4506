// The subcommands of `mote`; each adds itself to the CLI11 app and runs when chosen.
#pragma once

#include <CLI/CLI.hpp>

namespace mote::cli {

void add_inspect_command(CLI::App& app);
void add_run_command(CLI::App& app);
void add_export_command(CLI::App& app);
void add_gateway_command(CLI::App& app);
void add_node_budget_command(CLI::App& app);
void add_node_send_command(CLI::App& app);
void add_broker_command(CLI::App& app);
void add_convert_command(CLI::App& app);
void add_quantize_command(CLI::App& app);
void add_eval_command(CLI::App& app);
void add_prune_command(CLI::App& app);
void add_seismic_command(CLI::App& app);
void add_demo_command(CLI::App& app);
void add_firmware_command(CLI::App& app);
void add_size_command(CLI::App& app);

}  // namespace mote::cli
