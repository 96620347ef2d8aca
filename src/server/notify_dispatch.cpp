#include "server/notify_dispatch.h"

#include "server/extras_sqlite.h"
#include "server/notify_channels.h"
#include "server/notify_dingtalk.h"
#include "server/notify_inbox.h"
#include "server/notify_outbox.h"
#include "server/notify_wecom.h"

namespace cl::server {

NoticeResult send_notice(sqlite3* db, const Notice& n, Instant now) {
  NoticeResult result;
  xsql::Savepoint sp(db, "notice");
  InboxItem item;
  item.user_id = n.recipient_id;
  item.kind = n.kind;
  item.subject_type = n.subject_type;
  item.subject_id = n.subject_id;
  item.title_zh = n.title_zh;
  item.title_en = n.title_en;
  item.body_zh = n.body_zh;
  item.body_en = n.body_en;
  item.dedupe_key = n.dedupe_key;
  item.created_at = now;
  result.inbox_added = inbox_add(db, item);

  auto user_cfg = channel_config_get(db, "user", n.recipient_id);
  auto team_cfg = n.recipient_team_id.empty() ? std::nullopt : channel_config_get(db, "team", n.recipient_team_id);
  std::string mobile = user_cfg && !user_cfg->mobile.empty() ? user_cfg->mobile : n.recipient_mobile;
  std::vector<std::string> mentions;
  if (!mobile.empty()) mentions.push_back(mobile);

  for (const auto& channel : n.channels) {
    OutboxMessage m;
    m.channel = channel;
    m.dedupe_key = n.dedupe_key + "|" + channel;
    if (channel == "dingtalk") {
      const ChannelConfig* c = user_cfg && !user_cfg->dingtalk_webhook.empty() ? &*user_cfg
                               : team_cfg && !team_cfg->dingtalk_webhook.empty() ? &*team_cfg
                                                                                 : nullptr;
      if (!c) {
        result.skipped.push_back("dingtalk: no webhook configured for user or team");
        continue;
      }
      m.target = c->dingtalk_webhook;
      m.secret = c->dingtalk_secret;
      // DingTalk only rings a phone for @mobiles that also appear in the text.
      std::string text = "### " + n.title_zh + "\n\n" + n.body_zh;
      if (!mobile.empty()) text += "\n\n@" + mobile;
      m.payload = dingtalk_markdown(n.title_zh, text, mentions);
    } else if (channel == "wecom") {
      const ChannelConfig* c = user_cfg && !user_cfg->wecom_webhook.empty() ? &*user_cfg
                               : team_cfg && !team_cfg->wecom_webhook.empty() ? &*team_cfg
                                                                              : nullptr;
      if (!c) {
        result.skipped.push_back("wecom: no webhook configured for user or team");
        continue;
      }
      m.target = c->wecom_webhook;
      m.payload = wecom_text(n.title_zh + "\n" + n.body_zh, mentions);
    } else if (channel == "email") {
      std::string to = user_cfg && !user_cfg->email.empty() ? user_cfg->email : n.recipient_email;
      if (to.empty()) {
        result.skipped.push_back("email: no address for user");
        continue;
      }
      m.target = to;
      m.payload = {{"subject", n.title_zh},
                   {"text", n.body_zh + "\n\n" + n.title_en + "\n" + n.body_en},
                   {"attachments", nlohmann::json::array()}};
    } else {
      result.skipped.push_back(channel + ": unknown channel");
      continue;
    }
    if (outbox_enqueue(db, m, now)) result.queued.push_back(channel);
  }
  sp.commit();
  return result;
}

}  // namespace cl::server
