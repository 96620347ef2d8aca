// `closeloop-server serve`: open (create) the database, seed demo data into an empty one, listen,
// and stop cleanly on SIGINT/SIGTERM (a signal thread calls server.stop(); nothing unsafe runs in
// a signal handler).
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "core/version.h"
#include "server/cli.h"
#include "server/demo_seed.h"
#include "server/http_server.h"
#include "server/scheduler.h"
#include "server/sqlite_store.h"

namespace cl::server {

Instant system_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int run_serve(const Config& cfg) {
  // Block the stop signals in every thread we start; one thread waits for them.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  std::string error;
  if (!ensure_data_dir(cfg, error)) return std::fprintf(stderr, "error: %s\n", error.c_str()), 1;
  SqliteStore store(cfg.db_path(), system_now(), cfg.db_readers);
  ServerContext ctx{cfg, store, &store.db(), system_now};

  // Ended sessions are kept a week for the audit trail of who was logged in; attempts a day.
  store.transaction([&] { store.purge_auth_history(ctx.now() - 7 * kDay, ctx.now() - kDay); });

  bool seeded = false;
  if (cfg.seed_demo && store.count_users() == 0) {
    SeedSummary summary;
    if (!seed_demo(store, cfg, ctx.now(), summary, error)) return std::fprintf(stderr, "error: %s\n", error.c_str()), 1;
    std::printf("seeded demo data: %d users, %d teams, %d records\n", summary.users, summary.teams, summary.records);
    seeded = true;
  }

  store.open_readers();  // before the first request, not under the pool lock while requests wait

  auto app = make_http_app(ctx);
  if (!app->server.bind_to_port(cfg.host, cfg.port)) {
    std::fprintf(stderr, "error: cannot listen on %s:%d (port in use? try --port or CLOSELOOP_PORT)\n",
                 cfg.host.c_str(), cfg.port);
    return 1;
  }
  app->widen_listen_backlog();

  // R11/R34: reminders every minute on the server's clock (--scheduler=off disables); stopped and
  // joined when run_serve returns.
  SchedulerThread scheduler(ctx);

  std::atomic<bool> signalled{false};
  std::thread stopper([&] {
    int sig = 0;
    sigwait(&stop_signals, &sig);
    signalled = true;
    if (sig == SIGUSR1) return;  // our own wake-up after listen ended for another reason
    std::printf("\nstopping (signal %d)…\n", sig);
    std::fflush(stdout);
    app->server.stop();
  });

  std::printf("Closeloop %s listening on http://%s:%d/\n", kVersion, cfg.host.c_str(), cfg.port);
  std::printf("data: %s   web: %s\n", cfg.db_path().c_str(), cfg.web_dir.empty() ? "(none, API only)" : cfg.web_dir.c_str());
  // Demo logins only where demo seeding made them (its readable ids), never on a real database.
  if (seeded || store.find_user("user-rep1"))
    for (const auto& line : demo_login_lines()) std::printf("%s\n", line.c_str());
  std::fflush(stdout);

  app->server.listen_after_bind();

  // listen returned: either stop() ran (signal) or the socket failed. Wake the stopper if needed.
  if (!signalled) pthread_kill(stopper.native_handle(), SIGUSR1);
  stopper.join();
  std::printf("stopped cleanly\n");
  return 0;
}

}  // namespace cl::server
