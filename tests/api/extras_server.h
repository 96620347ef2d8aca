// Starts the REAL server binary on a loopback port with a fresh data folder for the extras API
// tests (cpp-httplib's habit: real server, real client, stop and join on exit). The binary comes
// from CLOSELOOP_SERVER_BIN (env) or the macro of the same name set by the build.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace cl::test {

inline int free_loopback_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

inline std::string server_binary() {
  if (const char* e = std::getenv("CLOSELOOP_SERVER_BIN"); e && *e) return e;
#ifdef CLOSELOOP_SERVER_BIN
  return CLOSELOOP_SERVER_BIN;
#else
  throw std::runtime_error("set CLOSELOOP_SERVER_BIN to the closeloop-server binary");
#endif
}

class ExtrasServer {
 public:
  explicit ExtrasServer(std::vector<std::string> extra_args = {}) {
    char tmpl[] = "/tmp/cl-extras-api-XXXXXX";
    data_dir_ = ::mkdtemp(tmpl);
    port_ = free_loopback_port();
    std::vector<std::string> args = {server_binary(), "serve", "--port", std::to_string(port_), "--data", data_dir_,
                                     "--fast-hash", "--scheduler=off"};
    for (auto& a : extra_args) args.push_back(a);
    pid_ = ::fork();
    if (pid_ == 0) {
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      std::string log = data_dir_ + "/server.log";
      FILE* f = std::freopen(log.c_str(), "w", stdout);
      (void)f;
      ::dup2(::fileno(stdout), 2);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    for (int i = 0; i < 300; ++i) {
      httplib::Client c("127.0.0.1", port_);
      c.set_connection_timeout(0, 200000);
      if (auto r = c.Get("/api/v1/health"); r && r->status == 200) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    throw std::runtime_error("server did not start; see " + data_dir_ + "/server.log");
  }
  ~ExtrasServer() {
    ::kill(pid_, SIGTERM);
    int st = 0;
    ::waitpid(pid_, &st, 0);
    std::error_code ec;
    std::filesystem::remove_all(data_dir_, ec);
  }
  ExtrasServer(const ExtrasServer&) = delete;
  ExtrasServer& operator=(const ExtrasServer&) = delete;

  int port() const { return port_; }
  const std::string& data_dir() const { return data_dir_; }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(30, 0);
    return c;
  }

  std::string login(const std::string& username, const std::string& password = "demo1234") const {
    auto c = client();
    auto r = c.Post("/api/v1/auth/login", nlohmann::json{{"username", username}, {"password", password}}.dump(),
                    "application/json");
    if (!r || r->status != 200) throw std::runtime_error("login failed for " + username);
    return nlohmann::json::parse(r->body)["token"].get<std::string>();
  }

  // Writes a replicated record straight into the store (as a sync push would), for test fixtures.
  void insert_record(const std::string& type, const std::string& id, const std::string& owner, const std::string& team,
                     const std::string& region, const nlohmann::json& body) const {
    sqlite3* db = nullptr;
    sqlite3_open((data_dir_ + "/closeloop.db").c_str(), &db);
    sqlite3_busy_timeout(db, 5000);
    sqlite3_exec(db, "BEGIN IMMEDIATE; UPDATE server_seq SET value = value + 1 WHERE id = 1;", nullptr, nullptr, nullptr);
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db,
                       "INSERT OR REPLACE INTO records(type, id, owner_id, team_id, region, seq, version, deleted, body, updated_at) "
                       "VALUES (?, ?, ?, ?, ?, (SELECT value FROM server_seq WHERE id = 1), 1, 0, ?, 0)",
                       -1, &s, nullptr);
    std::string b = body.dump();
    sqlite3_bind_text(s, 1, type.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 2, id.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 3, owner.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 4, team.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 5, region.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(s, 6, b.c_str(), -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(s);
    sqlite3_finalize(s);
    sqlite3_exec(db, rc == SQLITE_DONE ? "COMMIT" : "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    if (rc != SQLITE_DONE) throw std::runtime_error("insert_record failed");
  }

 private:
  std::string data_dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

inline httplib::Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

}  // namespace cl::test
