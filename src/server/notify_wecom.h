// R34 / R11: WeCom (企业微信) group-robot webhook messages, in the JSON WeCom documents
// (https://developer.work.weixin.qq.com/document/path/91770). No signing: the key is in the URL.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace cl::server {

// {"msgtype":"text","text":{"content":…,"mentioned_mobile_list":[…]}}
nlohmann::json wecom_text(std::string_view content, const std::vector<std::string>& mentioned_mobiles = {});

// {"msgtype":"markdown","markdown":{"content":…}} — WeCom markdown mentions use <@userid> in the text.
nlohmann::json wecom_markdown(std::string_view content);

}  // namespace cl::server
