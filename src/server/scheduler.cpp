#include "server/scheduler.h"

#include <cstdio>
#include <map>
#include <set>

#include "core/billing.h"
#include "core/codec.h"
#include "core/leads.h"
#include "core/money.h"
#include "core/repurchase.h"
#include "core/settings.h"
#include "core/stall_policy.h"
#include "core/time.h"
#include "server/db.h"
#include "server/extras_records.h"
#include "server/notify_inbox.h"
#include "server/notify_smtp.h"
#include "server/store.h"

namespace cl::server {

namespace {

const User* find_user(const SchedulerData& d, const Id& id) {
  for (const auto& u : d.users)
    if (u.id == id) return &u;
  return nullptr;
}

Notice notice_for(const User& to, std::string kind, std::string subject_type, std::string subject_id, std::string key) {
  Notice n;
  n.kind = std::move(kind);
  n.recipient_id = to.id;
  n.recipient_team_id = to.team_id;
  n.recipient_mobile = to.phone;
  n.recipient_email = to.email;
  n.subject_type = std::move(subject_type);
  n.subject_id = std::move(subject_id);
  n.dedupe_key = std::move(key);
  return n;
}

void reminder_notices(const SchedulerData& d, const std::vector<Reminder>& reminders, Instant now, const char* kind,
                      const char* title_zh, const char* title_en, std::vector<Notice>& out,
                      const char* channel = "dingtalk") {
  for (const auto& r : reminders) {
    if (r.due_at > now) continue;
    const User* to = find_user(d, r.recipient_id);
    if (!to) continue;
    Notice n = notice_for(*to, kind, r.subject_type, r.subject_id, r.dedupe_key);
    n.title_zh = title_zh;
    n.title_en = title_en;
    n.body_zh = r.text_zh;
    n.body_en = r.text_en;
    n.channels = {channel};
    out.push_back(n);
  }
}

}  // namespace

DueWork due_notices(const SchedulerData& d, Instant now) {
  DueWork work;
  std::vector<Notice>& out = work.notices;
  // R11: core A's stall policy — level 1 to the owner (DingTalk), level 2 to the manager (WeCom)
  // escalation_hours after level 1 was sent unless acknowledged; never a third.
  StallRun stall = due_stall_reminders(d.opportunities, d.users, d.teams, d.settings, now);
  std::vector<Reminder> level1, level2;
  for (auto& r : stall.reminders) (r.kind == ReminderKind::StallLevel2 ? level2 : level1).push_back(r);
  reminder_notices(d, level1, now, "stall_level1", "商机停滞提醒", "Stalled opportunity", out, "dingtalk");
  reminder_notices(d, level2, now, "stall_level2", "商机停滞升级（主管）", "Stall escalated to manager", out, "wecom");
  work.stall_updates = std::move(stall.updates);
  // R2: untouched leads (core B's rule and dedupe key).
  reminder_notices(d, untouched_lead_alerts(d.leads, d.settings, now), now, "untouched_lead", "线索未跟进提醒",
                   "Untouched lead", out);
  // R15/R19: repurchase windows opening (core B's rule and dedupe key).
  reminder_notices(d, repurchase_reminders(d.customers, d.contracts, d.products, d.settings, beijing_date(now)), now,
                   "repurchase_window", "复购提醒", "Repurchase window", out);
  // R21: overdue invoices — one reminder per invoice and due date, to the owner.
  std::map<Id, std::string> customer_names;
  for (const auto& c : d.customers) customer_names[c.meta.id] = c.name;
  for (const auto& o : overdue_invoices(d.invoices, d.payments, now)) {
    const User* to = find_user(d, o.owner_id);
    if (!to) continue;
    Notice n = notice_for(*to, "invoice_overdue", "invoice", o.invoice_id,
                          "overdue:" + o.invoice_id + ":" + to_iso_date(o.due_on));
    n.title_zh = "回款逾期提醒：" + o.code;
    n.title_en = "Invoice overdue: " + o.code;
    n.body_zh = "客户「" + customer_names[o.customer_id] + "」的发票 " + o.code + " 已逾期 " + std::to_string(o.days_overdue) +
                " 天，未回款 " + format_yuan(o.open) + "。";
    n.body_en = "Invoice " + o.code + " is " + std::to_string(o.days_overdue) + " days overdue, open " + format_yuan(o.open) + ".";
    n.channels = {"dingtalk"};
    out.push_back(n);
  }
  return work;
}

namespace {

SchedulerData load_data(ServerContext& ctx) {
  SchedulerData d;
  sqlite3* db = ctx.db->raw();
  const RecordFilter all{RecordFilter::Kind::All, ""};
  d.settings = default_settings();
  auto settings = load_record_bodies(db, "settings", all);
  if (!settings.empty())
    if (auto s = decode<Settings>(settings.back()); s.ok()) d.settings = s.value;
  d.users = load_users(db);
  d.teams = load_teams(db);
  d.opportunities = load_records<Opportunity>(db, "opportunity", all);
  d.leads = load_records<Lead>(db, "lead", all);
  d.customers = load_records<Customer>(db, "customer", all);
  d.contracts = load_records<Contract>(db, "contract", all);
  d.products = load_records<Product>(db, "product", all);
  d.invoices = load_records<Invoice>(db, "invoice", all);
  d.payments = load_records<Payment>(db, "payment", all);
  return d;
}

SmtpConfig smtp_from_config(const Config& c) {
  SmtpConfig s;
  s.url = c.option("smtp-url");
  s.username = c.option("smtp-user");
  s.password = c.option("smtp-password");
  s.require_tls = c.option("smtp-tls") == "1";
  return s;
}

}  // namespace

DeliveryReport deliver_outbox_now(ServerContext& ctx, Instant now) {
  auto sender = make_channel_sender(smtp_from_config(ctx.config), ctx.config.option("smtp-from", "noreply@closeloop.local"),
                                    ctx.config.option("smtp-from-name", "Closeloop 销售管理"));
  return outbox_deliver_due(ctx.db->raw(), now, sender, {},
                            [&ctx](const std::function<void()>& work) { ctx.store.transaction([&] { work(); }); });
}

SchedulerReport run_scheduler_tick(ServerContext& ctx, Instant now) {
  SchedulerReport report;
  // Reading and judging every record happens on a read snapshot, outside the write lock: at a million
  // records it takes ~10 s, and inside the write transaction it held every push back that long, once
  // a minute. Only the writes below take the lock, and they re-check what may have moved meanwhile.
  DueWork work;
  ctx.store.read([&] { work = due_notices(load_data(ctx), now); });
  report = apply_due_work(ctx, work, now);
  report.delivery = deliver_outbox_now(ctx, now);
  return report;
}

SchedulerReport apply_due_work(ServerContext& ctx, const DueWork& work, Instant now) {
  SchedulerReport report;
  ctx.store.transaction([&] {
    sqlite3* db = ctx.db->raw();
    const auto& notices = work.notices;
    // Opportunities whose stall stamp could not be written because the stay judged stalled is no
    // longer the open, current one (advanced, closed or deleted since the snapshot): their stall
    // notices are dropped too; the next tick judges them afresh.
    std::set<Id> moved_on;
    // R11: record level1_sent_at / level2_sent_at on the stay, in this same transaction, as a new
    // version of the opportunity (clients pull it), so a rerun never sends again.
    for (const auto& u : work.stall_updates) {
      auto row = ctx.store.get_record("opportunity", u.opportunity_id);
      if (!row || row->deleted) {
        moved_on.insert(u.opportunity_id);
        continue;
      }
      auto opp = decode<Opportunity>(nlohmann::json::parse(row->body, nullptr, false));
      if (!opp.ok()) continue;
      const auto& stages = opp.value.stages;
      if (opp.value.status != OpportunityStatus::Open || u.stay_index + 1 != stages.size() ||
          stages[u.stay_index].left_at != 0) {
        moved_on.insert(u.opportunity_id);
        continue;
      }
      apply_stall_update(opp.value, u);
      opp.value.meta.version = row->version + 1;
      opp.value.meta.updated_at = now;
      row->version += 1;
      row->seq = ctx.store.next_seq();
      row->body = encode(opp.value).dump();
      row->updated_at = now;
      ctx.store.put_record(*row);
    }
    report.notices = static_cast<int>(notices.size());
    for (const auto& n : notices) {
      if (n.subject_type == "opportunity" && n.kind.rfind("stall", 0) == 0 && moved_on.count(n.subject_id)) continue;
      auto r = send_notice(db, n, now);
      report.inbox_added += r.inbox_added ? 1 : 0;
      report.queued += static_cast<int>(r.queued.size());
      if (r.inbox_added)
        for (auto& s : r.skipped) report.skipped.push_back(n.dedupe_key + ": " + s);
    }
  });
  return report;
}

SchedulerThread::SchedulerThread(ServerContext& ctx, Instant period) : ctx_(ctx) {
  if (ctx.config.option("scheduler") == "off") return;
  thread_ = std::thread([this, period] {
    // The first tick comes one period after start: a server started for a short test run never
    // writes reminders underneath it, and a demo gets its first reminders within a minute.
    std::unique_lock<std::mutex> lock(mu_);
    while (!cv_.wait_for(lock, std::chrono::milliseconds(period), [this] { return stop_; })) {
      lock.unlock();
      try {
        run_scheduler_tick(ctx_, ctx_.now());
      } catch (const std::exception& e) {
        std::fprintf(stderr, "scheduler tick failed: %s\n", e.what());
      }
      lock.lock();
    }
  });
}

SchedulerThread::~SchedulerThread() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace cl::server
