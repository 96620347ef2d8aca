// How a keep-alive connection waits for its next request (issue 4: 200 tablets on keep-alive).
//
// cpp-httplib 0.11 serves a connection on one pool thread, and between two requests that thread polls
// the socket for 10 ms, sleeps 1 ms and polls again, until the keep-alive timeout: every idle
// connection wakes ~90 times a second. With 200 connected tablets that was 0.38 of a core (measured:
// 1.14 CPU-seconds in 3 s, 72 % of it in the kernel) doing nothing, and a request arriving during
// the 1 ms sleep waited for it. KeepAliveServer replaces only that loop: the thread blocks in one
// poll() on the socket (and on a stop pipe, so stop() still ends idle connections at once) until a
// request arrives or the keep-alive timeout passes. Requests are still parsed, routed and answered
// by httplib's own process_request, with the same keep-alive count, read/write timeouts and limits.
// The connection's stream also keeps its read buffer from one request to the next and skips the
// poll before a recv that has data waiting.
#pragma once

#include <httplib.h>

namespace cl::server {

class KeepAliveServer : public httplib::Server {
 public:
  KeepAliveServer();
  ~KeepAliveServer() override;
  // httplib's stop() plus a wake-up for every connection waiting for its next request.
  void stop();

 private:
  bool process_and_close_socket(socket_t sock) override;
  int stop_pipe_[2] = {-1, -1};
};

}  // namespace cl::server
