#include "server/notify_dingtalk.h"

#include <sodium.h>

#include <string>

namespace cl::server {

nlohmann::json dingtalk_text(std::string_view content, const std::vector<std::string>& at_mobiles, bool at_all) {
  return {{"msgtype", "text"},
          {"text", {{"content", std::string(content)}}},
          {"at", {{"atMobiles", at_mobiles}, {"isAtAll", at_all}}}};
}

nlohmann::json dingtalk_markdown(std::string_view title, std::string_view text,
                                 const std::vector<std::string>& at_mobiles) {
  return {{"msgtype", "markdown"},
          {"markdown", {{"title", std::string(title)}, {"text", std::string(text)}}},
          {"at", {{"atMobiles", at_mobiles}, {"isAtAll", false}}}};
}

std::string dingtalk_sign(Instant timestamp_ms, std::string_view secret) {
  const std::string message = std::to_string(timestamp_ms) + "\n" + std::string(secret);
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state st;
  // The init/update/final form takes a key of any length (the robot secret is "SEC" + 64 hex).
  crypto_auth_hmacsha256_init(&st, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  crypto_auth_hmacsha256_update(&st, reinterpret_cast<const unsigned char*>(message.data()), message.size());
  crypto_auth_hmacsha256_final(&st, mac);
  char b64[sodium_base64_ENCODED_LEN(crypto_auth_hmacsha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
  sodium_bin2base64(b64, sizeof b64, mac, sizeof mac, sodium_base64_VARIANT_ORIGINAL);
  return b64;
}

std::string url_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size() * 3);
  for (unsigned char c : s) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_' || c == '.' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string dingtalk_signed_url(std::string_view webhook_url, std::string_view secret, Instant now_ms) {
  std::string url(webhook_url);
  url += (url.find('?') == std::string::npos) ? '?' : '&';
  url += "timestamp=" + std::to_string(now_ms) + "&sign=" + url_encode(dingtalk_sign(now_ms, secret));
  return url;
}

}  // namespace cl::server
