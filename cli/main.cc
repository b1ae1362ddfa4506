// mote: one command for the whole path from a trained model to a microcontroller.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"mote — run, inspect and deploy neural networks on microcontrollers"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show help for every subcommand");
  mote::cli::add_inspect_command(app);
  mote::cli::add_run_command(app);
  mote::cli::add_export_command(app);
  mote::cli::add_gateway_command(app);
  mote::cli::add_node_budget_command(app);
  mote::cli::add_node_send_command(app);
  mote::cli::add_broker_command(app);
  mote::cli::add_convert_command(app);
  mote::cli::add_quantize_command(app);
  mote::cli::add_eval_command(app);
  mote::cli::add_prune_command(app);
  mote::cli::add_seismic_command(app);
#if MOTE_TRAINING
  mote::cli::add_demo_command(app);
#endif
  mote::cli::add_firmware_command(app);
  mote::cli::add_size_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "mote: error: %s\n", e.what());
    return 1;
  }
  return 0;
}
