// The admin subcommands of closeloop-server (issue 4): each opens the store in the data folder,
// does one thing, prints what it did, and returns the process exit code.
#pragma once

#include "server/config.h"

namespace cl::server {

int run_create_user(const Config& cfg);
int run_reset_password(const Config& cfg);
int run_seed_demo(const Config& cfg);
int run_import_csv(const Config& cfg);
int run_backup(const Config& cfg);
int run_check(const Config& cfg);
int run_serve(const Config& cfg);   // serve.cpp

// Creates the data folder if needed; false with a message when it cannot.
bool ensure_data_dir(const Config& cfg, std::string& error);

}  // namespace cl::server
