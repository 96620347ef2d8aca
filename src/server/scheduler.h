// R2, R11, R15/R19, R21, R34: the in-process scheduler. Once a minute it asks core's pure policies
// what is due at `now` and turns each answer into an in-app notification plus outbox messages
// (dedupe keys make every tick idempotent), then delivers what the outbox has due. The clock is a
// parameter: tests and the admin endpoint run a tick at any instant.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/model.h"
#include "core/stall_policy.h"
#include "server/context.h"
#include "server/notify_dispatch.h"
#include "server/notify_outbox.h"

namespace cl::server {

struct SchedulerData {
  Settings settings;
  std::vector<User> users;
  std::vector<Team> teams;
  std::vector<Opportunity> opportunities;
  std::vector<Lead> leads;
  std::vector<Customer> customers;
  std::vector<Contract> contracts;
  std::vector<Product> products;
  std::vector<Invoice> invoices;
  std::vector<Payment> payments;
};

struct DueWork {
  std::vector<Notice> notices;
  std::vector<StallUpdate> stall_updates;  // R11: sent-at stamps to write into the opportunities
};

// Every notice due at `now` from core's policies (stall_policy.h, leads.h, repurchase.h,
// billing.h); pure given its inputs — the dedupe keys decide what is new.
DueWork due_notices(const SchedulerData& data, Instant now);

struct SchedulerReport {
  int notices = 0;         // due this tick (new or already sent)
  int inbox_added = 0;     // new in-app notifications
  int queued = 0;          // new outbox messages
  DeliveryReport delivery;
  std::vector<std::string> skipped;
};

// One tick: load and decide on a read snapshot (no write lock), then apply_due_work, then deliver.
// Safe to call concurrently with requests.
SchedulerReport run_scheduler_tick(ServerContext& ctx, Instant now);

// The write half of a tick, in one transaction: stall stamps (R11) and notices. A stall judged on the
// snapshot whose stay is no longer the open, current one (the opportunity moved on meanwhile) gets
// neither its stamp nor its notice. Returns the report without delivery.
SchedulerReport apply_due_work(ServerContext& ctx, const DueWork& work, Instant now);

// Delivers what the outbox has due (SMTP settings from --smtp-url/--smtp-from/--smtp-user/
// --smtp-password/--smtp-tls); DB work under store.transaction, network calls outside it.
DeliveryReport deliver_outbox_now(ServerContext& ctx, Instant now);

// The background loop for `serve`: a tick every minute on ctx.clock until destroyed. Disabled with
// --scheduler=off (API tests drive ticks through the admin endpoint instead).
class SchedulerThread {
 public:
  explicit SchedulerThread(ServerContext& ctx, Instant period = kMinute);
  ~SchedulerThread();
  SchedulerThread(const SchedulerThread&) = delete;
  SchedulerThread& operator=(const SchedulerThread&) = delete;

 private:
  ServerContext& ctx_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace cl::server
