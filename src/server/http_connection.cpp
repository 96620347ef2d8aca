#include "server/http_connection.h"

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace cl::server {

namespace {

int timeout_ms(time_t sec, time_t usec) { return static_cast<int>(sec * 1000 + usec / 1000); }

// Waits until `fd` is ready for `events` (POLLIN/POLLOUT) or `ms` pass; false on timeout or error.
bool wait_ready(int fd, short events, int ms) {
  pollfd p{fd, events, 0};
  for (;;) {
    const int n = ::poll(&p, 1, ms);
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) return false;
  }
}

void peer_or_local_address(int fd, bool peer, std::string& ip, int& port) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  const int rc = peer ? ::getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len)
                      : ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  if (rc != 0) return;
  if (addr.ss_family == AF_INET) port = ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
  else if (addr.ss_family == AF_INET6) port = ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
  else return;
  char host[NI_MAXHOST] = {};
  if (::getnameinfo(reinterpret_cast<sockaddr*>(&addr), len, host, sizeof host, nullptr, 0, NI_NUMERICHOST) == 0) ip = host;
}

// One connection's stream for all its requests (httplib makes a new SocketStream per request). Reads
// try recv first and poll only when nothing is waiting; the buffer is 64 KiB, so a 100 KB push body
// arrives in a few reads rather than 25 poll+recv pairs of 4 KiB.
class ConnectionStream final : public httplib::Stream {
 public:
  ConnectionStream(int fd, int read_ms, int write_ms) : fd_(fd), read_ms_(read_ms), write_ms_(write_ms) {}

  bool buffered() const { return off_ < len_; }

  bool is_readable() const override { return buffered() || wait_ready(fd_, POLLIN, read_ms_); }
  bool is_writable() const override { return wait_ready(fd_, POLLOUT, write_ms_); }

  ssize_t read(char* ptr, size_t size) override {
    if (size == 0) return 0;
    if (buffered()) {
      const size_t n = std::min(size, len_ - off_);
      std::memcpy(ptr, buf_ + off_, n);
      off_ += n;
      return static_cast<ssize_t>(n);
    }
    off_ = len_ = 0;
    const bool direct = size >= sizeof buf_;
    for (;;) {
      const ssize_t n = ::recv(fd_, direct ? ptr : buf_, direct ? size : sizeof buf_, MSG_DONTWAIT);
      if (n >= 0) {
        if (direct || n == 0) return n;
        len_ = static_cast<size_t>(n);
        return read(ptr, size);
      }
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
      if (!wait_ready(fd_, POLLIN, read_ms_)) return -1;  // read timeout
    }
  }

  ssize_t write(const char* ptr, size_t size) override {
    for (;;) {
      const ssize_t n = ::send(fd_, ptr, size, MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n >= 0) return n;  // httplib's write loop sends the rest
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
      if (!wait_ready(fd_, POLLOUT, write_ms_)) return -1;  // write timeout
    }
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    if (!peer_known_) {
      peer_or_local_address(fd_, true, peer_ip_, peer_port_);
      peer_known_ = true;
    }
    ip = peer_ip_;
    port = peer_port_;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override { peer_or_local_address(fd_, false, ip, port); }
  socket_t socket() const override { return fd_; }

 private:
  int fd_;
  int read_ms_, write_ms_;
  char buf_[64 * 1024];
  size_t off_ = 0, len_ = 0;
  mutable bool peer_known_ = false;
  mutable std::string peer_ip_;
  mutable int peer_port_ = 0;
};

}  // namespace

KeepAliveServer::KeepAliveServer() {
  if (::pipe2(stop_pipe_, O_CLOEXEC | O_NONBLOCK) != 0) stop_pipe_[0] = stop_pipe_[1] = -1;
}

KeepAliveServer::~KeepAliveServer() {
  for (int fd : stop_pipe_)
    if (fd >= 0) ::close(fd);
}

void KeepAliveServer::stop() {
  // Never read: the pipe stays readable, so every waiting connection (and any that starts waiting
  // later) sees it.
  if (stop_pipe_[1] >= 0) {
    const char byte = 1;
    [[maybe_unused]] const ssize_t n = ::write(stop_pipe_[1], &byte, 1);
  }
  httplib::Server::stop();
}

bool KeepAliveServer::process_and_close_socket(socket_t sock) {
  ConnectionStream strm(sock, timeout_ms(read_timeout_sec_, read_timeout_usec_),
                        timeout_ms(write_timeout_sec_, write_timeout_usec_));
  // The next request: bytes already buffered, or one blocking poll until it arrives, the keep-alive
  // timeout passes (the connection closes, as httplib's loop did) or the server stops.
  auto next_request = [&] {
    if (strm.buffered()) return true;
    pollfd p[2] = {{sock, POLLIN, 0}, {stop_pipe_[0], POLLIN, 0}};
    const int ms = static_cast<int>(keep_alive_timeout_sec_ * 1000);
    for (;;) {
      const int n = ::poll(p, stop_pipe_[0] >= 0 ? 2 : 1, ms);
      if (n > 0) return (p[1].revents & POLLIN) == 0 && p[0].revents != 0;
      if (n == 0 || errno != EINTR) return false;
    }
  };
  bool ret = false;
  for (size_t left = keep_alive_max_count_; svr_sock_ != INVALID_SOCKET && left > 0 && next_request(); --left) {
    bool connection_closed = false;
    ret = process_request(strm, left == 1, connection_closed, nullptr);
    if (!ret || connection_closed) break;
  }
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ret;
}

}  // namespace cl::server
