// Real local receivers on loopback for the notification tests (never the internet): an SMTP sink
// that speaks just enough SMTP (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and captures each
// message, and helpers shared by the extras tests (a fresh database with the extras schema,
// running shell tools such as openssl/iconv/pdftotext as independent oracles).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <chrono>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "server/extras_schema.h"

namespace cl::test {

struct CapturedMail {
  std::string mail_from;
  std::vector<std::string> rcpt_to;
  std::string data;  // the message after un-dot-stuffing, CRLF line ends
};

class SmtpSink {
 public:
  SmtpSink() {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 8) != 0)
      throw std::runtime_error("smtp sink: bind/listen failed");
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~SmtpSink() {
    stop_ = true;
    ::shutdown(listen_fd_, SHUT_RDWR);
    ::close(listen_fd_);
    if (thread_.joinable()) thread_.join();
  }
  int port() const { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  // The next n DATA commands are refused with a transient 451 (to test retries).
  void fail_next(int n) { fail_next_ = n; }
  std::vector<CapturedMail> mails() {
    std::lock_guard<std::mutex> lock(mu_);
    return mails_;
  }

 private:
  void serve() {
    while (!stop_) {
      int fd = ::accept(listen_fd_, nullptr, nullptr);
      if (fd < 0) return;
      session(fd);
      ::close(fd);
    }
  }
  static void say(int fd, const std::string& s) { (void)!::write(fd, s.data(), s.size()); }
  bool read_line(int fd, std::string& buf, std::string& line) {
    for (;;) {
      auto p = buf.find("\r\n");
      if (p != std::string::npos) {
        line = buf.substr(0, p);
        buf.erase(0, p + 2);
        return true;
      }
      char tmp[4096];
      ssize_t n = ::read(fd, tmp, sizeof tmp);
      if (n <= 0) return false;
      buf.append(tmp, static_cast<std::size_t>(n));
    }
  }
  void session(int fd) {
    std::string buf, line;
    CapturedMail cur;
    say(fd, "220 sink.local ESMTP test sink\r\n");
    while (read_line(fd, buf, line)) {
      std::string verb = line.substr(0, 4);
      for (auto& c : verb) c = static_cast<char>(toupper(static_cast<unsigned char>(c)));
      if (verb == "EHLO") {
        say(fd, "250-sink.local\r\n250-8BITMIME\r\n250 SIZE 52428800\r\n");
      } else if (verb == "HELO" || verb == "NOOP") {
        say(fd, "250 OK\r\n");
      } else if (verb == "RSET") {
        cur = {};
        say(fd, "250 OK\r\n");
      } else if (verb == "MAIL") {
        cur = {};
        cur.mail_from = line.substr(line.find(':') + 1);
        say(fd, "250 OK\r\n");
      } else if (verb == "RCPT") {
        cur.rcpt_to.push_back(line.substr(line.find(':') + 1));
        say(fd, "250 OK\r\n");
      } else if (verb == "DATA") {
        if (fail_next_ > 0) {
          --fail_next_;
          say(fd, "451 4.3.0 try again later\r\n");
          continue;
        }
        say(fd, "354 go ahead\r\n");
        std::string data;
        while (read_line(fd, buf, line) && line != ".") {
          if (!line.empty() && line[0] == '.') line.erase(0, 1);  // un-dot-stuff
          data += line + "\r\n";
        }
        cur.data = data;
        {
          std::lock_guard<std::mutex> lock(mu_);
          mails_.push_back(cur);
        }
        say(fd, "250 OK queued\r\n");
      } else if (verb == "QUIT") {
        say(fd, "221 bye\r\n");
        return;
      } else {
        say(fd, "502 not implemented\r\n");
      }
    }
  }

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> fail_next_{0};
  std::thread thread_;
  std::mutex mu_;
  std::vector<CapturedMail> mails_;
};

// A fresh in-memory database with the extras tables.
struct TestDb {
  sqlite3* db = nullptr;
  TestDb() {
    sqlite3_open(":memory:", &db);
    cl::server::apply_extras_schema(db);
  }
  ~TestDb() { sqlite3_close(db); }
  TestDb(const TestDb&) = delete;
  TestDb& operator=(const TestDb&) = delete;
};

// Runs a shell command and returns its stdout (an independent oracle: openssl, iconv, pdftotext).
inline std::string run_capture(const std::string& cmd) {
  std::unique_ptr<FILE, int (*)(FILE*)> p(::popen(cmd.c_str(), "r"), ::pclose);
  if (!p) throw std::runtime_error("popen failed: " + cmd);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p.get())) > 0) out.append(buf, n);
  return out;
}

// "Header: value" of a captured mail, unfolded, or "" when absent.
inline std::string mail_header(const std::string& data, const std::string& name) {
  std::string key = "\r\n" + name + ": ";
  std::string hay = "\r\n" + data;
  auto p = hay.find(key);
  if (p == std::string::npos) return "";
  auto start = p + key.size();
  std::string out;
  for (auto i = start; i < hay.size();) {
    auto e = hay.find("\r\n", i);
    out += hay.substr(i, e - i);
    if (e + 2 < hay.size() && (hay[e + 2] == ' ' || hay[e + 2] == '\t')) {
      i = e + 3;  // folded: continue with the next line (whitespace between encoded words drops)
      continue;
    }
    break;
  }
  return out;
}

inline const std::string kRobotSecret = "SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd";

// base64(HMAC-SHA256) computed by the openssl CLI, not by our code.
inline std::string openssl_sign(const std::string& timestamp, const std::string& secret) {
  return run_capture("printf '%s\\n%s' '" + timestamp + "' '" + secret + "' | openssl dgst -sha256 -hmac '" + secret +
                     "' -binary | base64 -w0");
}

// A DingTalk/WeCom-like robot: answers {"errcode":0} when the request is well-formed and signed,
// or fails on purpose for the first `fail_first` requests.
struct RobotReceiver {
  std::string secret;
  httplib::Server server;
  std::thread thread;
  int port = 0;
  std::mutex mu;
  std::vector<nlohmann::json> accepted;
  std::vector<std::string> rejections;
  std::atomic<int> fail_first{0};
  std::atomic<int> requests{0};

  explicit RobotReceiver(std::string signing_secret = kRobotSecret) : secret(std::move(signing_secret)) {
    server.Post("/robot/send", [this](const httplib::Request& req, httplib::Response& res) {
      ++requests;
      if (fail_first > 0) {
        --fail_first;
        res.status = 500;
        res.set_content("overloaded", "text/plain");
        return;
      }
      auto reject = [&](const std::string& why, int code) {
        std::lock_guard<std::mutex> lock(mu);
        rejections.push_back(why);
        res.set_content(nlohmann::json{{"errcode", code}, {"errmsg", why}}.dump(), "application/json");
      };
      if (req.get_param_value("access_token") != "tok123") return reject("bad token", 300001);
      auto ts = req.get_param_value("timestamp");
      auto sign = req.get_param_value("sign");  // httplib has already URL-decoded it
      if (ts.empty() || sign != openssl_sign(ts, secret)) return reject("sign not match", 310000);
      auto body = nlohmann::json::parse(req.body, nullptr, false);
      if (!body.is_object() || !body.contains("msgtype")) return reject("bad json", 400);
      std::lock_guard<std::mutex> lock(mu);
      accepted.push_back(body);
      res.set_content(R"({"errcode":0,"errmsg":"ok"})", "application/json");
    });
    server.Post("/cgi-bin/webhook/send", [this](const httplib::Request& req, httplib::Response& res) {
      ++requests;
      if (fail_first > 0) {
        --fail_first;
        res.status = 500;
        return;
      }
      auto body = nlohmann::json::parse(req.body, nullptr, false);
      if (req.get_param_value("key") != "wkey" || !body.is_object()) {
        res.set_content(R"({"errcode":93000,"errmsg":"invalid webhook url"})", "application/json");
        return;
      }
      std::lock_guard<std::mutex> lock(mu);
      accepted.push_back(body);
      res.set_content(R"({"errcode":0,"errmsg":"ok"})", "application/json");
    });
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~RobotReceiver() {
    server.stop();
    thread.join();
  }
  std::string dingtalk_url() const { return "http://127.0.0.1:" + std::to_string(port) + "/robot/send?access_token=tok123"; }
  std::string wecom_url() const { return "http://127.0.0.1:" + std::to_string(port) + "/cgi-bin/webhook/send?key=wkey"; }
  std::size_t accepted_count() {
    std::lock_guard<std::mutex> lock(mu);
    return accepted.size();
  }
  std::vector<nlohmann::json> accepted_copy() {
    std::lock_guard<std::mutex> lock(mu);
    return accepted;
  }
};

}  // namespace cl::test
