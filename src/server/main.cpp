// closeloop-server: the native server and its admin CLI. See `closeloop-server help`.
#include <sodium.h>

#include <cstdio>
#include <exception>

#include "server/cli.h"
#include "server/config.h"

int main(int argc, char** argv) {
  using namespace cl::server;
  if (sodium_init() < 0) {
    std::fprintf(stderr, "error: libsodium failed to initialise\n");
    return 1;
  }
  Config cfg;
  std::string error;
  if (!parse_config(argc, argv, cfg, error)) {
    std::fprintf(stderr, "error: %s\n\n%s", error.c_str(), usage_text().c_str());
    return 2;
  }
  try {
    if (cfg.command == "help") return std::printf("%s", usage_text().c_str()), 0;
    if (cfg.command == "serve") return run_serve(cfg);
    if (cfg.command == "create-user") return run_create_user(cfg);
    if (cfg.command == "reset-password") return run_reset_password(cfg);
    if (cfg.command == "seed-demo") return run_seed_demo(cfg);
    if (cfg.command == "import-csv") return run_import_csv(cfg);
    if (cfg.command == "backup") return run_backup(cfg);
    if (cfg.command == "check") return run_check(cfg);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  std::fprintf(stderr, "error: unknown command %s\n", cfg.command.c_str());
  return 2;
}
