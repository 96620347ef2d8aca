// R34 / R11: DingTalk group-robot webhook messages, in the exact JSON DingTalk documents
// (https://open.dingtalk.com/document/robots/custom-robot-access), and its signed ("加签") mode.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace cl::server {

// {"msgtype":"text","text":{"content":…},"at":{"atMobiles":[…],"isAtAll":false}}
nlohmann::json dingtalk_text(std::string_view content, const std::vector<std::string>& at_mobiles = {},
                             bool at_all = false);

// {"msgtype":"markdown","markdown":{"title":…,"text":…},"at":{…}}. DingTalk only notifies an @mobile
// if the number also appears in the text, so callers put "@138…" into the text themselves.
nlohmann::json dingtalk_markdown(std::string_view title, std::string_view text,
                                 const std::vector<std::string>& at_mobiles = {});

// base64(HMAC-SHA256(key = secret, message = "<timestamp>\n<secret>")), NOT yet URL-encoded.
std::string dingtalk_sign(Instant timestamp_ms, std::string_view secret);

// The webhook URL with "&timestamp=<ms>&sign=<url-encoded signature>" appended (or "?" when the URL
// has no query yet). The robot rejects a timestamp more than one hour off, so sign at send time.
std::string dingtalk_signed_url(std::string_view webhook_url, std::string_view secret, Instant now_ms);

// RFC 3986 percent-encoding of everything but unreserved characters (what DingTalk's samples do).
std::string url_encode(std::string_view s);

}  // namespace cl::server
