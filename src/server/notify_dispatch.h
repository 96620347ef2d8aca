// R11 / R34: one reminder -> an in-app inbox item plus one outbox message per configured channel.
// The notice's dedupe key makes the whole fan-out idempotent: calling it again (the next scheduler
// tick, a restart) adds nothing.
#pragma once

#include <sqlite3.h>

#include <string>
#include <vector>

#include "core/model.h"

namespace cl::server {

struct Notice {
  std::string kind;            // "stall_level1", …
  std::string recipient_id;    // user id
  std::string recipient_team_id;
  std::string recipient_mobile;  // for @-mentions in the team's group robot
  std::string recipient_email;
  std::string subject_type, subject_id;
  std::string title_zh, title_en, body_zh, body_en;
  std::string dedupe_key;      // e.g. "stall1:<opportunity>:<stage entered_at>"
  std::vector<std::string> channels;  // any of "dingtalk", "wecom", "email" (in-app always)
};

struct NoticeResult {
  bool inbox_added = false;
  std::vector<std::string> queued;   // channels queued now
  std::vector<std::string> skipped;  // "wecom: no webhook configured for user or team"
};

// Channel resolution: the user's own robot first, else the team's group robot (with an @-mention
// of the user's mobile). E-mail: the user's configured address, else Notice::recipient_email.
NoticeResult send_notice(sqlite3* db, const Notice& n, Instant now);

}  // namespace cl::server
