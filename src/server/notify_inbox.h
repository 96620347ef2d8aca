// R34 / R11: the in-app inbox. Every reminder lands here first (it works even when no robot is
// configured); acknowledging one is recorded (R11: "escalation and acknowledgement are recorded").
#pragma once

#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "core/model.h"

namespace cl::server {

struct InboxItem {
  std::int64_t id = 0;
  std::string user_id;
  std::string kind;          // "stall_level1", "stall_level2", "untouched_lead", "repurchase_window", …
  std::string subject_type;  // "opportunity", "lead", "customer", "invoice", "quote"
  std::string subject_id;
  std::string title_zh, title_en, body_zh, body_en;
  std::string dedupe_key;
  Instant created_at = 0;
  std::optional<Instant> acked_at;
};

// true when added; false when this dedupe key already exists (never notify twice).
bool inbox_add(sqlite3* db, const InboxItem& item);

std::vector<InboxItem> inbox_list(sqlite3* db, const std::string& user_id, bool unacked_only, int limit,
                                  std::int64_t before_id = 0);
std::int64_t inbox_unacked_count(sqlite3* db, const std::string& user_id);

enum class AckResult { Acked, AlreadyAcked, NotFound };
// NotFound also when the item belongs to someone else: never reveal other users' items (R33).
AckResult inbox_ack(sqlite3* db, std::int64_t id, const std::string& user_id, Instant now);

std::optional<InboxItem> inbox_find_by_key(sqlite3* db, const std::string& dedupe_key);

nlohmann::json inbox_item_json(const InboxItem& item);

}  // namespace cl::server
