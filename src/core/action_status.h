// R24: statuses derived from objective actions, never typed (the seed: "不定义'待跟进'，而定义'需执行
// 动作'"). R25: the daily report built from logged actions, not free text.
//
// The derived statuses (each names the fact that caused it, so a rep can see why):
//   NeedsSecondTouch  需二次触达 — the latest MessageSent to a customer has no ReplyReceived from that
//                     customer after it, and settings.no_reply_hours (24 h) have passed. Comes with a
//                     suggested message from template "second_touch" ({客户名称}, {销售}).
//   QuoteNoResponse   报价未回复 — the latest QuoteSent to a customer was followed by no reply, visit,
//                     call or demo with that customer within kQuoteResponseDays (3 days).
//   InvoiceOverdue    回款逾期 — the customer has an invoice unpaid after its due date (billing.h).
//   Stalled           商机停滞 — an open opportunity has been in its stage longer than the stage's
//                     stall_hours (R11's threshold, 48 h by default).
//   NoObjectiveAction 疑似虚假在谈 — an open opportunity with no objective action (anything but a
//                     Note) on it or its customer for settings.fake_talk_days (R14).
// A status disappears by itself when the fact changes (a reply is logged, the invoice is paid, the
// stage moves): nothing to clear by hand.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/model.h"

namespace cl {

inline constexpr int kQuoteResponseDays = 3;

enum class DerivedStatusKind { NeedsSecondTouch, QuoteNoResponse, InvoiceOverdue, Stalled, NoObjectiveAction };

struct DerivedStatus {
  DerivedStatusKind kind = DerivedStatusKind::NeedsSecondTouch;
  Id customer_id;
  Id owner_id;                 // who should act
  std::string subject_type;    // "activity", "invoice", "opportunity"
  Id subject_id;
  Instant since = 0;           // when the status began (e.g. message time + 24 h)
  std::string label_zh, label_en;
  std::string reason_zh, reason_en;
  std::string suggested_message;  // NeedsSecondTouch only
};

struct ActionData {
  const std::vector<Customer>* customers = nullptr;
  const std::vector<Activity>* activities = nullptr;
  const std::vector<Opportunity>* opportunities = nullptr;
  const std::vector<Invoice>* invoices = nullptr;
  const std::vector<Payment>* payments = nullptr;
  const std::vector<User>* users = nullptr;      // rep names for the suggested message
};

const char* derived_status_label_zh(DerivedStatusKind kind);
const char* derived_status_label_en(DerivedStatusKind kind);

std::vector<DerivedStatus> derive_statuses(const ActionData& data, const Settings& settings, Instant now);

// --- R25 daily report ---------------------------------------------------------------------------
struct DailyReport {
  Id rep_id;
  Date day;                                   // Beijing date
  std::map<ActivityKind, int> counts;
  int total = 0;
  int customers_touched = 0;                  // distinct customers with any action
  bool objective = false;                     // at least one action that is not a Note
  std::string text_zh;                        // "拜访 2 次，发送方案 3 份，处理异议 2 次"
  std::string text_en;                        // "2 visits, 3 proposals sent, 2 objections handled"
};

DailyReport daily_report(const std::vector<Activity>& activities, const Id& rep_id, Date day);

}  // namespace cl
