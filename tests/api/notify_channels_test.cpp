// R34 / R11: the outbound channels against REAL receivers on loopback — an httplib robot that checks
// the DingTalk signature with openssl as an independent oracle, and an SMTP sink.
#include <doctest/doctest.h>
#include <httplib.h>
#include <sodium.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "extras_receivers.h"
#include "server/notify_channels.h"
#include "server/notify_dingtalk.h"
#include "server/notify_dispatch.h"
#include "server/notify_http.h"
#include "server/notify_inbox.h"
#include "server/notify_outbox.h"
#include "server/notify_smtp.h"
#include "server/notify_wecom.h"

using namespace cl;
using namespace cl::server;
using cl::test::run_capture;
using json = nlohmann::json;

namespace {

const std::string kSecret = test::kRobotSecret;

using test::openssl_sign;
using test::RobotReceiver;

std::string decode_b64(const std::string& s) {
  std::string out(s.size(), '\0');
  size_t len = 0;
  REQUIRE(sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), s.c_str(), s.size(), "\r\n ",
                            &len, nullptr, sodium_base64_VARIANT_ORIGINAL) == 0);
  out.resize(len);
  return out;
}

// Decodes a header made of "=?UTF-8?B?…?=" words (as any mail client would).
std::string decode_rfc2047(const std::string& header) {
  std::string out;
  std::size_t i = 0;
  while ((i = header.find("=?UTF-8?B?", i)) != std::string::npos) {
    auto start = i + 10;
    auto end = header.find("?=", start);
    out += decode_b64(header.substr(start, end - start));
    i = end + 2;
  }
  return out;
}

const Instant kNow = 1'795'000'000'000;  // 2026-11-18

}  // namespace

TEST_CASE("the DingTalk signature equals openssl's HMAC-SHA256 of timestamp newline secret, URL-encoded") {
  REQUIRE(sodium_init() >= 0);
  const std::string ts = std::to_string(kNow);
  CHECK(dingtalk_sign(kNow, kSecret) == openssl_sign(ts, kSecret));
  auto url = dingtalk_signed_url("https://oapi.dingtalk.com/robot/send?access_token=abc", kSecret, kNow);
  CHECK(url.find("?access_token=abc&timestamp=" + ts + "&sign=") != std::string::npos);
  // The raw signature is base64 ('+', '/', '='); none of those may survive URL-encoding.
  auto sign = url.substr(url.find("&sign=") + 6);
  CHECK(sign.find_first_of("+/=") == std::string::npos);
  CHECK(url_encode("a+b/c=") == "a%2Bb%2Fc%3D");
}

TEST_CASE("DingTalk and WeCom messages have exactly the documented JSON shape") {
  auto t = dingtalk_text("商机停滞提醒", {"13812345678"});
  CHECK(t == json::parse(R"({"msgtype":"text","text":{"content":"商机停滞提醒"},"at":{"atMobiles":["13812345678"],"isAtAll":false}})"));
  auto m = dingtalk_markdown("停滞", "### 停滞\n@13812345678", {"13812345678"});
  CHECK(m["msgtype"] == "markdown");
  CHECK(m["markdown"]["title"] == "停滞");
  CHECK(m["markdown"]["text"] == "### 停滞\n@13812345678");
  auto w = wecom_text("主管请关注", {"13900001111"});
  CHECK(w == json::parse(R"({"msgtype":"text","text":{"content":"主管请关注","mentioned_mobile_list":["13900001111"]}})"));
  CHECK(wecom_markdown("**逾期**") == json::parse(R"({"msgtype":"markdown","markdown":{"content":"**逾期**"}})"));
}

TEST_CASE("a signed DingTalk message posted through the outbox is accepted by a receiver that checks the signature") {
  RobotReceiver robot;
  test::TestDb db;
  OutboxMessage m{"dingtalk", robot.dingtalk_url(), kSecret, dingtalk_text("请跟进 杭州市第一人民医院", {"13812345678"}), "k1"};
  CHECK(outbox_enqueue(db.db, m, kNow));
  auto sender = make_channel_sender({}, "noreply@closeloop.local", "Closeloop");
  auto report = outbox_deliver_due(db.db, kNow, sender);
  CHECK(report.delivered == 1);
  REQUIRE(robot.accepted_count() == 1);
  CHECK(robot.rejections.empty());
  CHECK(robot.accepted[0]["text"]["content"] == "请跟进 杭州市第一人民医院");
  CHECK(robot.accepted[0]["at"]["atMobiles"][0] == "13812345678");
  auto row = outbox_find(db.db, "k1");
  REQUIRE(row);
  CHECK(row->status == "delivered");
  CHECK(row->delivered_at == kNow);
}

TEST_CASE("a wrong DingTalk secret is refused by the robot and recorded as the outbox error") {
  RobotReceiver robot;
  test::TestDb db;
  outbox_enqueue(db.db, {"dingtalk", robot.dingtalk_url(), "SECwrong", dingtalk_text("x"), "bad"}, kNow);
  auto report = outbox_deliver_due(db.db, kNow, make_channel_sender({}, "a@b.c", ""));
  CHECK(report.retried == 1);
  auto row = outbox_find(db.db, "bad");
  CHECK(row->status == "pending");
  CHECK(row->last_error.find("310000") != std::string::npos);
  CHECK(robot.accepted_count() == 0);
}

TEST_CASE("the outbox enqueues a dedupe key once and delivers it exactly once, retrying with backoff after failures") {
  RobotReceiver robot;
  robot.fail_first = 2;
  test::TestDb db;
  OutboxMessage m{"wecom", robot.wecom_url(), "", wecom_text("回款逾期", {"13900001111"}), "invoice-overdue:inv1"};
  CHECK(outbox_enqueue(db.db, m, kNow));
  CHECK_FALSE(outbox_enqueue(db.db, m, kNow + 1));  // same key: nothing new
  auto sender = make_channel_sender({}, "a@b.c", "");
  OutboxPolicy policy;

  CHECK(outbox_deliver_due(db.db, kNow, sender, policy).retried == 1);
  auto row = outbox_find(db.db, m.dedupe_key);
  CHECK(row->attempts == 1);
  CHECK(row->next_attempt_at == kNow + kMinute);
  CHECK(row->last_error == "http 500");

  // Not due yet: nothing is sent.
  auto early = outbox_deliver_due(db.db, kNow + 30'000, sender, policy);
  CHECK(early.delivered + early.retried == 0);
  CHECK(robot.requests == 1);

  CHECK(outbox_deliver_due(db.db, kNow + kMinute, sender, policy).retried == 1);
  row = outbox_find(db.db, m.dedupe_key);
  CHECK(row->next_attempt_at == kNow + kMinute + 2 * kMinute);  // doubled

  CHECK(outbox_deliver_due(db.db, kNow + 3 * kMinute, sender, policy).delivered == 1);
  CHECK(outbox_deliver_due(db.db, kNow + kDay, sender, policy).delivered == 0);
  CHECK(robot.accepted_count() == 1);
  CHECK(robot.requests == 3);
  row = outbox_find(db.db, m.dedupe_key);
  CHECK(row->status == "delivered");
  CHECK(row->attempts == 3);
  CHECK(robot.accepted[0]["text"]["mentioned_mobile_list"][0] == "13900001111");
}

TEST_CASE("a message that keeps failing becomes dead after the attempt limit and is never sent again") {
  test::TestDb db;
  outbox_enqueue(db.db, {"webhook", "http://127.0.0.1:1/nothing-listens", "", json{{"a", 1}}, "dead1"}, kNow);
  OutboxPolicy policy;
  policy.max_attempts = 3;
  auto sender = make_channel_sender({}, "a@b.c", "");
  Instant t = kNow;
  int dead = 0;
  for (int i = 0; i < 6; ++i, t += kDay) dead += outbox_deliver_due(db.db, t, sender, policy).dead;
  CHECK(dead == 1);
  auto row = outbox_find(db.db, "dead1");
  CHECK(row->status == "dead");
  CHECK(row->attempts == 3);
  CHECK(row->last_error.rfind("transport:", 0) == 0);
}

TEST_CASE("backoff doubles from one minute and is capped") {
  CHECK(outbox_backoff(1) == kMinute);
  CHECK(outbox_backoff(2) == 2 * kMinute);
  CHECK(outbox_backoff(4) == 8 * kMinute);
  CHECK(outbox_backoff(30) == 6 * kHour);
}

TEST_CASE("the admin view of the outbox never shows the secret and shortens robot tokens") {
  test::TestDb db;
  outbox_enqueue(db.db, {"dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=abcdef123456", kSecret,
                         dingtalk_text("x"), "v1"}, kNow);
  auto rows = outbox_list(db.db, "", 10);
  REQUIRE(rows.size() == 1);
  auto j = outbox_row_json(rows[0]);
  CHECK(j.dump().find(kSecret) == std::string::npos);
  CHECK(j.dump().find("abcdef123456") == std::string::npos);
  CHECK(j["signed"] == true);
  CHECK(j["status"] == "pending");
  CHECK(outbox_list(db.db, "delivered", 10).empty());
}

TEST_CASE("a long Chinese subject is RFC 2047 encoded in words of at most 75 characters that decode back exactly") {
  std::string subject = "【报价单】杭州市第一人民医院 骨科植入耗材 GK-ZR-2024 报价 Q-2026-0042，请查收并确认有效期";
  auto enc = rfc2047_encode(subject);
  std::size_t pos = 0;
  while (pos < enc.size()) {
    auto end = enc.find("\r\n ", pos);
    auto word = enc.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    CHECK(word.size() <= 75);
    CHECK(word.rfind("=?UTF-8?B?", 0) == 0);
    pos = end == std::string::npos ? enc.size() : end + 3;
  }
  CHECK(decode_rfc2047(enc) == subject);
  CHECK(rfc2047_encode("Quote Q-1") == "Quote Q-1");
}

TEST_CASE("an e-mail with a UTF-8 subject and a PDF attachment arrives intact at a local SMTP sink") {
  test::SmtpSink sink;
  EmailMessage m;
  m.from_address = "noreply@closeloop.local";
  m.from_name = "Closeloop 销售系统";
  m.to = {"buyer@hospital.example"};
  m.subject = "报价单 Q-2026-0042";
  m.text_body = "您好，附件是报价单。\n.\n第二段以点开头的行也要完整。";
  std::string pdf = "%PDF-1.4\n";
  for (int i = 0; i < 3000; ++i) pdf += static_cast<char>(i * 7 % 256);
  m.attachments.push_back({"报价单 Q-2026-0042.pdf", "application/pdf", pdf});
  auto r = smtp_send({sink.url()}, m, kNow);
  REQUIRE_MESSAGE(r.ok, r.error);
  auto mails = sink.mails();
  REQUIRE(mails.size() == 1);
  CHECK(mails[0].rcpt_to[0] == "<buyer@hospital.example>");
  const auto& data = mails[0].data;
  CHECK(decode_rfc2047(test::mail_header(data, "Subject")) == m.subject);
  CHECK(test::mail_header(data, "Content-Type").find("multipart/mixed") != std::string::npos);
  // The body and the attachment are the two base64 parts; decode them from the captured bytes.
  auto part_b64 = [&](const std::string& after) {
    auto p = data.find(after);
    REQUIRE(p != std::string::npos);
    auto start = data.find("\r\n\r\n", p) + 4;
    auto end = data.find("\r\n--", start);
    return decode_b64(data.substr(start, end - start));
  };
  CHECK(part_b64("Content-Type: text/plain") == m.text_body);
  CHECK(part_b64("Content-Type: application/pdf") == pdf);
  CHECK(data.find("filename*=UTF-8''%E6%8A%A5%E4%BB%B7%E5%8D%95%20Q-2026-0042.pdf") != std::string::npos);
}

TEST_CASE("an e-mail in the outbox is retried after the SMTP server refuses it and then delivered once") {
  test::SmtpSink sink;
  sink.fail_next(1);
  test::TestDb db;
  json payload = {{"subject", "回款提醒"}, {"text", "发票 INV-1 已逾期"}, {"attachments", json::array()}};
  outbox_enqueue(db.db, {"email", "rep1@example.com", "", payload, "mail1"}, kNow);
  SmtpConfig smtp{sink.url()};
  auto sender = make_channel_sender(smtp, "noreply@closeloop.local", "Closeloop");
  CHECK(outbox_deliver_due(db.db, kNow, sender).retried == 1);
  CHECK(sink.mails().empty());
  CHECK(outbox_deliver_due(db.db, kNow + kMinute, sender).delivered == 1);
  CHECK(outbox_deliver_due(db.db, kNow + kHour, sender).delivered == 0);
  REQUIRE(sink.mails().size() == 1);
  CHECK(decode_rfc2047(test::mail_header(sink.mails()[0].data, "Subject")) == "回款提醒");
}

TEST_CASE("a notice lands in the inbox and in the outbox once per configured channel, and repeating it adds nothing") {
  test::TestDb db;
  ChannelConfig team{"team", "t1", "https://robot.example/send?access_token=t", "SECx", "https://wecom.example/send?key=k",
                     "", "", kNow, "admin"};
  channel_config_save(db.db, team);
  Notice n;
  n.kind = "stall_level1";
  n.recipient_id = "rep1";
  n.recipient_team_id = "t1";
  n.recipient_mobile = "13812345678";
  n.subject_type = "opportunity";
  n.subject_id = "opp1";
  n.title_zh = "商机停滞提醒";
  n.body_zh = "「骨科耗材采购」已在需求确认阶段停留 48 小时";
  n.dedupe_key = "stall1:opp1:1";
  n.channels = {"dingtalk", "email"};
  auto r1 = send_notice(db.db, n, kNow);
  CHECK(r1.inbox_added);
  CHECK(r1.queued == std::vector<std::string>{"dingtalk"});
  CHECK(r1.skipped.size() == 1);  // no e-mail address known
  auto r2 = send_notice(db.db, n, kNow + kMinute);
  CHECK_FALSE(r2.inbox_added);
  CHECK(r2.queued.empty());
  auto row = outbox_find(db.db, "stall1:opp1:1|dingtalk");
  REQUIRE(row);
  auto payload = json::parse(row->payload);
  CHECK(payload["msgtype"] == "markdown");
  CHECK(payload["at"]["atMobiles"][0] == "13812345678");
  CHECK(payload["markdown"]["text"].get<std::string>().find("@13812345678") != std::string::npos);
  CHECK(row->secret == "SECx");
  CHECK(inbox_list(db.db, "rep1", true, 50).size() == 1);
}

TEST_CASE("a user acknowledges their own inbox item once and cannot see or acknowledge anyone else's") {
  test::TestDb db;
  InboxItem i;
  i.user_id = "rep1";
  i.kind = "untouched_lead";
  i.dedupe_key = "u1";
  i.created_at = kNow;
  REQUIRE(inbox_add(db.db, i));
  auto id = inbox_list(db.db, "rep1", false, 10).at(0).id;
  CHECK(inbox_ack(db.db, id, "rep2", kNow) == AckResult::NotFound);
  CHECK(inbox_list(db.db, "rep2", false, 10).empty());
  CHECK(inbox_ack(db.db, id, "rep1", kNow + 5) == AckResult::Acked);
  CHECK(inbox_ack(db.db, id, "rep1", kNow + 9) == AckResult::AlreadyAcked);
  CHECK(inbox_find_by_key(db.db, "u1")->acked_at == kNow + 5);
  CHECK(inbox_unacked_count(db.db, "rep1") == 0);
}

TEST_CASE("channel settings refuse non-http URLs, bad e-mails and non-digit mobiles, and never echo the secret") {
  ChannelConfig base{"user", "rep1"};
  auto bad = channel_config_from_json(json{{"dingtalk_webhook", "file:///etc/passwd"}, {"email", "no-at"}, {"mobile", "138-1"}}, base);
  CHECK_FALSE(bad.ok());
  CHECK(bad.problems.size() == 3);
  auto good = channel_config_from_json(json{{"dingtalk_webhook", "https://oapi.dingtalk.com/robot/send?access_token=x"},
                                            {"dingtalk_secret", "SECabc"}, {"email", "rep1@example.com"}}, base);
  REQUIRE(good.ok());
  auto j = channel_config_json(good.value);
  CHECK(j["dingtalk_signed"] == true);
  CHECK(j.dump().find("SECabc") == std::string::npos);
  CHECK_FALSE(channel_config_from_json(json{{"email", 5}}, base).ok());
}
