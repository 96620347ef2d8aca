// R34: outbound messages go through an outbox table so a robot or mail server that is down never
// loses a reminder and never gets it twice. Enqueue is idempotent on a dedupe key (UNIQUE); delivery
// claims one row at a time, sends OUTSIDE any transaction, then records the outcome, retrying with
// exponential backoff up to a limit ("dead" afterwards, visible in the admin view).
//
// Exactly-once, precisely: a dedupe key is enqueued once and a delivered row is never sent again.
// The one gap is a crash between the remote accepting and us recording it: such a row stays
// "sending" and is retried after a lease expires (at-least-once in that case only — webhooks offer no
// idempotency key to do better).
#pragma once

#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "server/notify_smtp.h"

namespace cl::server {

struct OutboxMessage {
  std::string channel;     // "dingtalk" | "wecom" | "email" | "webhook"
  std::string target;      // webhook URL or e-mail address
  std::string secret;      // DingTalk signing secret (never shown in the admin view)
  nlohmann::json payload;  // robot JSON, or {"subject","text","attachments":[{"file_name","mime_type","base64"}]}
  std::string dedupe_key;
};

struct OutboxRow {
  std::int64_t id = 0;
  std::string channel, target, secret, payload, dedupe_key;
  int attempts = 0;
  Instant next_attempt_at = 0;
  std::string status;      // "pending" | "sending" | "delivered" | "dead"
  std::string last_error;
  Instant created_at = 0;
  std::optional<Instant> delivered_at;
};

struct DeliveryOutcome {
  bool delivered = false;
  std::string error;
};

using OutboxSender = std::function<DeliveryOutcome(const OutboxRow&, Instant now)>;

struct OutboxPolicy {
  int max_attempts = 8;
  Instant base_backoff = kMinute;      // 1, 2, 4, 8 … minutes
  Instant max_backoff = 6 * kHour;
  Instant sending_lease = 10 * kMinute;
  int batch = 50;
};

struct DeliveryReport {
  int delivered = 0, retried = 0, dead = 0;
};

// true when queued now; false when the dedupe key was already queued (then nothing changes).
bool outbox_enqueue(sqlite3* db, const OutboxMessage& m, Instant now);

// Delay before the next attempt after `failed_attempts` failures (1 → base, 2 → 2×base, …, capped).
Instant outbox_backoff(int failed_attempts, const OutboxPolicy& policy = {});

// Runs a piece of database work under the connection's lock/transaction (the server passes
// store.transaction); the default runs it directly. Sending happens between such pieces, unlocked.
using DbSection = std::function<void(const std::function<void()>&)>;

// Delivers every due row (status pending, next_attempt_at ≤ now), oldest first, one at a time.
DeliveryReport outbox_deliver_due(sqlite3* db, Instant now, const OutboxSender& send, const OutboxPolicy& policy = {},
                                  const DbSection& section = {});

// Rows for the admin view, newest first; status "" = all.
std::vector<OutboxRow> outbox_list(sqlite3* db, const std::string& status, int limit, std::int64_t before_id = 0);
std::optional<OutboxRow> outbox_find(sqlite3* db, const std::string& dedupe_key);

// Admin view JSON: the secret is never included and robot access tokens are shortened.
nlohmann::json outbox_row_json(const OutboxRow& row);

// The real sender: DingTalk (signed when a secret is set), WeCom, generic webhook, SMTP e-mail.
OutboxSender make_channel_sender(const SmtpConfig& smtp, std::string from_address, std::string from_name);

}  // namespace cl::server
