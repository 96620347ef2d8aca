#include "server_harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace cl::apitest {

namespace fs = std::filesystem;

std::string make_temp_dir(const std::string& prefix) {
  std::string tmpl = (fs::temp_directory_path() / (prefix + "-XXXXXX")).string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

int free_loopback_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

namespace {

void write_file(const fs::path& p, const std::string& content) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << content;
}

// Files the static-file tests look for; secret.txt lives OUTSIDE the web root.
void make_web_fixture(const std::string& root, const std::string& web) {
  write_file(fs::path(web) / "index.html", "<!doctype html><title>Closeloop</title><p>登录</p>");
  write_file(fs::path(web) / "app.wasm", std::string("\0asm\1\0\0\0", 8));
  write_file(fs::path(web) / "app.js", "console.log('closeloop app');\n");
  write_file(fs::path(web) / "app.js.br", "PRECOMPRESSED-BROTLI-BYTES");
  write_file(fs::path(web) / "app.js.gz", "PRECOMPRESSED-GZIP-BYTES");
  write_file(fs::path(web) / "sw.js", "self.addEventListener('fetch', () => {});\n");
  write_file(fs::path(web) / "manifest.webmanifest", "{\"name\":\"Closeloop\"}");
  write_file(fs::path(web) / "fonts" / "DroidSansFallback.ttf", "FAKEFONT");
  write_file(fs::path(web) / "assets" / "chunk-0123abcd89.js", "// hashed\n");
  write_file(fs::path(root) / "secret.txt", "TOP SECRET OUTSIDE THE WEB ROOT");
  fs::create_symlink(fs::path(root) / "secret.txt", fs::path(web) / "leak.txt");
}

pid_t spawn(const std::vector<std::string>& args, const std::string& log_path) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, args[0].c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + args[0]);
  return pid;
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TestServer::TestServer(std::vector<std::string> extra_args, bool with_web, bool port_from_env) {
  root_ = make_temp_dir("closeloop-api");
  data_dir_ = root_ + "/data";
  if (with_web) {
    web_dir_ = root_ + "/web";
    make_web_fixture(root_, web_dir_);
  }
  for (int attempt = 0; attempt < 3 && pid_ < 0; ++attempt) {
    port_ = free_loopback_port();
    // Demo people and teams only (readable ids user-rep1, team-1, …): each test adds the records it
    // needs. Pass "--scale", "demo" to get the full generated data set (a later flag wins).
    std::vector<std::string> args = {CLOSELOOP_SERVER_BIN, "serve", "--host", "127.0.0.1", "--fast-hash",
                                     "--scale", "users"};
    if (port_from_env) {
      setenv("CLOSELOOP_PORT", std::to_string(port_).c_str(), 1);
      setenv("CLOSELOOP_DATA", data_dir_.c_str(), 1);
    } else {
      args.insert(args.end(), {"--port", std::to_string(port_), "--data", data_dir_});
    }
    if (with_web) {
      args.push_back("--web");
      args.push_back(web_dir_);
    }
    args.insert(args.end(), extra_args.begin(), extra_args.end());
    pid_ = spawn(args, root_ + "/server.log");
    if (port_from_env) {
      unsetenv("CLOSELOOP_PORT");
      unsetenv("CLOSELOOP_DATA");
    }
    client_.emplace("127.0.0.1", port_);
    client_->set_connection_timeout(2, 0);
    client_->set_read_timeout(30, 0);
    // Wait for health (seeding an empty database happens before listening).
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    bool up = false;
    while (std::chrono::steady_clock::now() < deadline) {
      if (auto res = client_->Get("/api/v1/health"); res && res->status == 200) {
        up = true;
        break;
      }
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {  // died (port taken?): try another port
        pid_ = -1;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (!up && pid_ > 0) {
      ::kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }
  if (pid_ < 0) throw std::runtime_error("closeloop-server did not start; log:\n" + log());
}

TestServer::~TestServer() {
  stop();
  std::error_code ec;
  fs::remove_all(root_, ec);
}

std::string TestServer::log() const { return read_all(root_ + "/server.log"); }

int TestServer::stop() {
  if (pid_ <= 0) return 0;
  ::kill(pid_, SIGTERM);
  int status = 0;
  for (int i = 0; i < 200; ++i) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

std::string TestServer::login(const std::string& username, const std::string& password) {
  json body = {{"username", username}, {"password", password}};
  auto res = client_->Post("/api/v1/auth/login", body.dump(), "application/json");
  if (!res || res->status != 200) return {};
  return json::parse(res->body).value("token", "");
}

TestServer& shared_server() {
  // Generous per-address limit: every test logs in from 127.0.0.1. The limit itself is tested on
  // a server of its own. Every push to it, however small, runs pipelined (server/push_lane.h), so the
  // whole API suite goes through the two-thread lane; servers of their own keep the default (64), so
  // their small pushes take the one-thread path, and push_pipeline_test compares the two.
  static TestServer server({"--login-limit-address", "100000", "--push-pipeline-min", "1"});
  return server;
}

httplib::Headers bearer(const std::string& token) { return {{"Authorization", "Bearer " + token}}; }

json body_json(const httplib::Result& res) {
  if (!res) return nullptr;
  return json::parse(res->body, nullptr, false);
}

std::pair<int, std::string> run_cli(const std::vector<std::string>& args) {
  std::string dir = make_temp_dir("closeloop-cli");
  std::string log = dir + "/out.log";
  std::vector<std::string> full = {CLOSELOOP_SERVER_BIN};
  full.insert(full.end(), args.begin(), args.end());
  pid_t pid = spawn(full, log);
  int status = 0;
  waitpid(pid, &status, 0);
  std::string out = read_all(log);
  std::error_code ec;
  fs::remove_all(dir, ec);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), out};
}

std::string raw_request(int port, const std::string& method, const std::string& target,
                        const std::string& extra_headers, const std::string& body) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return {};
  }
  std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" + extra_headers;
  if (!body.empty()) req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  req += "\r\n" + body;
  ::send(fd, req.data(), req.size(), MSG_NOSIGNAL);
  std::string out;
  char buf[8192];
  timeval tv{10, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

}  // namespace cl::apitest
