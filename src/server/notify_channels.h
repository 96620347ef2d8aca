// R34: where a team's or a user's notifications go. A team usually has one DingTalk group robot and
// one WeCom group robot; a user may have their own robot, an e-mail address and a mobile number
// (used for @-mentions in the team group). Set by admins (manager for their own team).
#pragma once

#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "core/model.h"
#include "core/problem.h"

namespace cl::server {

struct ChannelConfig {
  std::string scope_type;  // "team" | "user"
  std::string scope_id;
  std::string dingtalk_webhook, dingtalk_secret;
  std::string wecom_webhook;
  std::string email;
  std::string mobile;
  Instant updated_at = 0;
  std::string updated_by;
};

// Validates a config from an admin request: http(s) URLs only, plausible e-mail, digits-only mobile.
Problems validate_channel_config(const ChannelConfig& c);

void channel_config_save(sqlite3* db, const ChannelConfig& c);
std::optional<ChannelConfig> channel_config_get(sqlite3* db, const std::string& scope_type, const std::string& scope_id);
std::vector<ChannelConfig> channel_config_list(sqlite3* db);

// JSON for the admin API: the DingTalk secret is reported as set/not set, never echoed back.
nlohmann::json channel_config_json(const ChannelConfig& c);

// Fills a config from a request body; absent fields keep the values of `base` (partial update).
Result<ChannelConfig> channel_config_from_json(const nlohmann::json& body, ChannelConfig base);

}  // namespace cl::server
