#include "server/notify_smtp.h"

#include <curl/curl.h>
#include <sodium.h>

#include <cstring>
#include <ctime>
#include <mutex>

namespace cl::server {

namespace {

std::string b64(std::string_view bytes) {
  if (bytes.empty()) return {};
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(std::strlen(out.c_str()));
  return out;
}

bool needs_encoding(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80 || c < 0x20 || c == '=' || c == '?' || c == '"') return true;
  return false;
}

std::size_t utf8_len(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}

// RFC 2231 filename*=UTF-8''percent-encoded.
std::string rfc2231_value(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out = "UTF-8''";
  for (unsigned char c : s) {
    bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                 c == '_' || c == '.';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string rfc5322_date(Instant now) {
  std::time_t t = static_cast<std::time_t>(now / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  static const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
                months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

// Header values must never carry a line break (header injection).
std::string one_line(std::string_view s) {
  std::string out;
  for (char c : s) out += (c == '\r' || c == '\n') ? ' ' : c;
  return out;
}

struct Upload {
  const std::string* data;
  std::size_t pos = 0;
};

size_t on_read(char* buffer, size_t size, size_t nitems, void* user) {
  auto* up = static_cast<Upload*>(user);
  size_t room = size * nitems;
  size_t left = up->data->size() - up->pos;
  size_t n = left < room ? left : room;
  std::memcpy(buffer, up->data->data() + up->pos, n);
  up->pos += n;
  return n;
}

}  // namespace

std::string base64_mime(std::string_view bytes) {
  std::string flat = b64(bytes);
  std::string out;
  out.reserve(flat.size() + flat.size() / 76 * 2 + 2);
  for (std::size_t i = 0; i < flat.size(); i += 76) {
    out.append(flat, i, 76);
    out += "\r\n";
  }
  return out;
}

std::string rfc2047_encode(std::string_view utf8) {
  if (!needs_encoding(utf8)) return std::string(utf8);
  // "=?UTF-8?B?" + "?=" is 12 characters; 45 input bytes -> 60 base64 characters -> 72 in total.
  constexpr std::size_t kMaxChunk = 45;
  std::string out;
  std::size_t i = 0;
  while (i < utf8.size()) {
    std::size_t end = i;
    while (end < utf8.size()) {
      std::size_t n = utf8_len(static_cast<unsigned char>(utf8[end]));
      if (end + n - i > kMaxChunk) break;
      end += n;
    }
    if (end == i) end = i + 1;  // defensive: never loop forever on broken input
    if (!out.empty()) out += "\r\n ";  // folded continuation: whitespace between words is ignored
    out += "=?UTF-8?B?" + b64(utf8.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string build_mime_message(const EmailMessage& m, Instant now, std::string_view boundary,
                               std::string_view message_id) {
  std::string to_list;
  for (const auto& t : m.to) to_list += (to_list.empty() ? "" : ", ") + one_line(t);
  std::string out;
  out += "Date: " + rfc5322_date(now) + "\r\n";
  out += "From: " + (m.from_name.empty() ? "" : rfc2047_encode(one_line(m.from_name)) + " ") + "<" +
         one_line(m.from_address) + ">\r\n";
  out += "To: " + to_list + "\r\n";
  out += "Message-ID: <" + one_line(message_id) + ">\r\n";
  out += "Subject: " + rfc2047_encode(one_line(m.subject)) + "\r\n";
  out += "MIME-Version: 1.0\r\n";
  const std::string text_part = "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
                                base64_mime(m.text_body);
  if (m.attachments.empty()) {
    out += text_part;
    return out;
  }
  const std::string b(boundary);
  out += "Content-Type: multipart/mixed; boundary=\"" + b + "\"\r\n\r\n";
  out += "This is a multi-part message in MIME format.\r\n";
  out += "--" + b + "\r\n" + text_part;
  for (const auto& a : m.attachments) {
    out += "--" + b + "\r\n";
    out += "Content-Type: " + one_line(a.mime_type) + "; name=\"" + rfc2047_encode(one_line(a.file_name)) + "\"\r\n";
    out += "Content-Transfer-Encoding: base64\r\n";
    out += "Content-Disposition: attachment; filename*=" + rfc2231_value(a.file_name) + "\r\n\r\n";
    out += base64_mime(a.bytes);
  }
  out += "--" + b + "--\r\n";
  return out;
}

bool plausible_email(std::string_view a) {
  if (a.size() < 3 || a.size() > 254) return false;
  auto at = a.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= a.size() || a.find('@', at + 1) != std::string_view::npos)
    return false;
  for (unsigned char c : a)
    if (c <= 0x20 || c == '<' || c == '>' || c == ',' || c == ';' || c == '"' || c == 0x7f) return false;
  return true;
}

SmtpSendResult smtp_send(const SmtpConfig& config, const EmailMessage& m, Instant now) {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  SmtpSendResult result;
  if (m.to.empty()) {
    result.error = "no recipients";
    return result;
  }
  for (const auto& t : m.to)
    if (!plausible_email(t)) {
      result.error = "bad recipient address";
      return result;
    }
  unsigned char rnd[12];
  randombytes_buf(rnd, sizeof rnd);
  char hex[sizeof rnd * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
  const std::string boundary = std::string("=_closeloop_") + hex;
  const std::string domain = m.from_address.substr(m.from_address.find('@') + 1);
  const std::string payload = build_mime_message(m, now, boundary, std::string(hex) + "@" + domain);

  CURL* curl = curl_easy_init();
  if (!curl) {
    result.error = "curl_easy_init failed";
    return result;
  }
  const std::string from = "<" + m.from_address + ">";
  curl_slist* rcpt = nullptr;
  for (const auto& t : m.to) rcpt = curl_slist_append(rcpt, ("<" + t + ">").c_str());
  Upload up{&payload};
  curl_easy_setopt(curl, CURLOPT_URL, config.url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, on_read);
  curl_easy_setopt(curl, CURLOPT_READDATA, &up);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(payload.size()));
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, config.timeout_ms);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  if (config.require_tls) curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
  if (!config.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, config.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, config.password.c_str());
  }
  CURLcode rc = curl_easy_perform(curl);
  if (rc == CURLE_OK) {
    result.ok = true;
  } else {
    result.error = curl_easy_strerror(rc);
  }
  curl_slist_free_all(rcpt);
  curl_easy_cleanup(curl);
  return result;
}

}  // namespace cl::server
