#include "server/notify_wecom.h"

namespace cl::server {

nlohmann::json wecom_text(std::string_view content, const std::vector<std::string>& mentioned_mobiles) {
  return {{"msgtype", "text"},
          {"text", {{"content", std::string(content)}, {"mentioned_mobile_list", mentioned_mobiles}}}};
}

nlohmann::json wecom_markdown(std::string_view content) {
  return {{"msgtype", "markdown"}, {"markdown", {{"content", std::string(content)}}}};
}

}  // namespace cl::server
