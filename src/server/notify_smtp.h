// R34 / R18: e-mail over SMTP with libcurl — UTF-8 subjects (RFC 2047), a UTF-8 text body and
// attachments (multipart/mixed, base64), e.g. the quote PDF. smtp:// for a plain relay (tests use a
// sink on loopback), smtps:// for implicit TLS, or smtp:// with require_tls for STARTTLS.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/model.h"

namespace cl::server {

struct EmailAttachment {
  std::string file_name;  // UTF-8; encoded per RFC 2231 in the header
  std::string mime_type;  // "application/pdf"
  std::string bytes;
};

struct EmailMessage {
  std::string from_address;  // "noreply@closeloop.local"
  std::string from_name;     // "Closeloop 销售系统" (UTF-8)
  std::vector<std::string> to;
  std::string subject;       // UTF-8
  std::string text_body;     // UTF-8, plain text
  std::vector<EmailAttachment> attachments;
};

struct SmtpConfig {
  std::string url;           // "smtp://127.0.0.1:2525", "smtps://smtp.exmail.qq.com:465"
  std::string username, password;
  bool require_tls = false;  // STARTTLS on smtp:// (CURLUSESSL_ALL)
  long timeout_ms = 15000;
};

// "=?UTF-8?B?…?=" encoded words, split on character boundaries so no encoded word passes 75
// characters (RFC 2047 §2); pure ASCII without specials is returned unchanged.
std::string rfc2047_encode(std::string_view utf8);

// Standard base64, wrapped at 76 characters with CRLF (RFC 2045).
std::string base64_mime(std::string_view bytes);

// The full RFC 5322 message with CRLF line ends. `boundary` and `message_id` are injected so the
// output is deterministic in tests.
std::string build_mime_message(const EmailMessage& m, Instant now, std::string_view boundary,
                               std::string_view message_id);

struct SmtpSendResult {
  bool ok = false;
  std::string error;
};

SmtpSendResult smtp_send(const SmtpConfig& config, const EmailMessage& m, Instant now);

// Basic shape check for an address we are about to store or send to (not full RFC 5321).
bool plausible_email(std::string_view address);

}  // namespace cl::server
