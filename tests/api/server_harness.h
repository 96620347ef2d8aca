// Runs the real closeloop-server binary for API tests: a temp data folder, a free loopback port,
// --fast-hash, wait for /api/v1/health, SIGTERM and wait at the end (cpp-httplib's own test style).
//
//   auto& s = shared_server();                       // one demo-seeded server for the whole run
//   auto token = s.login("rep1");                     // demo1234
//   auto res = s.client().Get("/api/v1/me", bearer(token));
//
// Start your own TestServer when a test needs other flags (short session TTL, low limits).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace cl::apitest {

using json = nlohmann::json;

class TestServer {
 public:
  // extra_args are appended to `serve --port P --data D --fast-hash` (a later --data wins).
  // port_from_env: pass port and data folder as CLOSELOOP_PORT / CLOSELOOP_DATA instead of flags.
  explicit TestServer(std::vector<std::string> extra_args = {}, bool with_web = true, bool port_from_env = false);
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  int port() const { return port_; }
  const std::string& data_dir() const { return data_dir_; }
  const std::string& web_dir() const { return web_dir_; }
  const std::string& root_dir() const { return root_; }
  httplib::Client& client() { return *client_; }
  bool running() const { return pid_ > 0; }
  int pid() const { return pid_; }

  // POST /api/v1/auth/login; returns the token or "" (CHECKs nothing itself).
  std::string login(const std::string& username, const std::string& password = "demo1234");
  // Sends SIGTERM and waits; returns the exit status (0 = clean) or -1 on timeout (then SIGKILL).
  int stop();
  std::string log() const;   // the server's stdout+stderr so far

 private:
  std::string root_, data_dir_, web_dir_;
  int port_ = 0;
  int pid_ = -1;
  std::optional<httplib::Client> client_;
};

// The default server: demo data, a web folder with test files (see make_web_fixture).
TestServer& shared_server();

httplib::Headers bearer(const std::string& token);
json body_json(const httplib::Result& res);   // parsed body or null
int free_loopback_port();

// Runs the server binary with args (a CLI subcommand) and returns {exit code, output}.
std::pair<int, std::string> run_cli(const std::vector<std::string>& args);

// A raw HTTP/1.1 request (no client-side normalisation of the target). Returns the whole response.
std::string raw_request(int port, const std::string& method, const std::string& target,
                        const std::string& extra_headers = "", const std::string& body = "");

std::string make_temp_dir(const std::string& prefix);

}  // namespace cl::apitest
