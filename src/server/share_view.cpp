#include "server/share_view.h"

#include <map>
#include <span>

#include "core/billing.h"
#include "core/collection.h"
#include "core/funnel.h"
#include "core/leads.h"
#include "core/money.h"
#include "core/settings.h"
#include "core/stall_policy.h"
#include "core/time.h"
#include "server/extras_records.h"

namespace cl::server {

namespace {

template <class T>
void append(std::vector<T>& into, std::vector<T> more) {
  for (auto& m : more) into.push_back(std::move(m));
}

nlohmann::json money_json(Money m) { return {{"fen", m.fen}, {"text", format_yuan(m)}}; }

}  // namespace

nlohmann::json build_shared_view(sqlite3* db, const ShareLink& link, Instant now) {
  std::vector<Team> teams;
  for (auto& t : load_teams(db))
    if ((!link.team_id.empty() && t.id == link.team_id) || (!link.region.empty() && t.region == link.region))
      teams.push_back(t);
  std::map<Id, bool> team_in;
  for (const auto& t : teams) team_in[t.id] = true;
  std::vector<User> users;
  for (auto& u : load_users(db))
    if (team_in.count(u.team_id)) users.push_back(u);

  Settings settings = default_settings();
  auto s = load_record_bodies(db, "settings", {RecordFilter::Kind::All, ""});
  if (!s.empty())
    if (auto d = decode<Settings>(s.back()); d.ok()) settings = d.value;

  std::vector<Opportunity> opps;
  std::vector<Lead> leads;
  std::vector<Invoice> invoices;
  std::vector<Payment> payments;
  std::vector<CollectionTarget> targets;
  for (const auto& t : teams) {
    const RecordFilter f{RecordFilter::Kind::Team, t.id};
    append(opps, load_records<Opportunity>(db, "opportunity", f));
    append(leads, load_records<Lead>(db, "lead", f));
    append(invoices, load_records<Invoice>(db, "invoice", f));
    append(payments, load_records<Payment>(db, "payment", f));
  }
  for (auto& t : load_records<CollectionTarget>(db, "collection_target", {RecordFilter::Kind::All, ""})) {
    bool rep_in = false;
    for (const auto& u : users) rep_in = rep_in || u.id == t.rep_id;
    if (team_in.count(t.team_id) || rep_in) targets.push_back(t);
  }

  // Funnel (R13) from core A's funnel.h: open now per stage, mean/median dwell, conversion.
  const Funnel funnel = compute_funnel(std::span<const Opportunity>(opps), settings, FunnelPeriod{}, now);
  nlohmann::json stages = nlohmann::json::array();
  for (const auto& row : funnel.stages)
    stages.push_back({{"stage", row.stage},
                      {"name_zh", row.name_zh},
                      {"name_en", row.name_en},
                      {"open", row.open_now},
                      {"reached", row.reached},
                      {"conversion_bp", row.conversion_bp},
                      {"avg_hours_in_stage", row.mean_dwell_ms / kHour},
                      {"median_hours_in_stage", row.median_dwell_ms / kHour}});
  const std::int64_t won = funnel.won, lost = funnel.lost;
  std::map<Id, int> open_by_rep, stalled_by_rep;
  for (const auto& o : opps) {
    if (o.status != OpportunityStatus::Open) continue;
    ++open_by_rep[o.meta.owner_id];
    if (is_stalled(o, settings, now)) ++stalled_by_rep[o.meta.owner_id];
  }

  // Collections (R22) for this Beijing month, from core's dashboard over in-scope data only.
  const std::string month = month_key(now);
  auto dash = collection_dashboard(month, payments, targets, users, teams);
  auto row_json = [](const CollectionRow& r) {
    return nlohmann::json{{"id", r.id}, {"name", r.name}, {"collected", money_json(r.collected)},
                          {"target", r.has_target ? money_json(r.target) : nlohmann::json()},
                          {"achievement_bp", r.has_target ? nlohmann::json(r.achievement_bp) : nlohmann::json()}};
  };
  nlohmann::json coll_teams = nlohmann::json::array(), coll_reps = nlohmann::json::array();
  for (const auto& t : dash.teams) coll_teams.push_back(row_json(t));
  for (const auto& r : dash.reps) coll_reps.push_back(row_json(r));

  // Team health: per rep, with the phone masked (R27: personal data).
  std::map<Id, int> untouched_by_rep, overdue_by_rep;
  for (const auto& a : untouched_lead_alerts(leads, settings, now)) ++untouched_by_rep[a.recipient_id];
  for (const auto& o : overdue_invoices(invoices, payments, now)) ++overdue_by_rep[o.owner_id];
  nlohmann::json reps = nlohmann::json::array();
  for (const auto& u : users) {
    if (u.role != Role::Rep || !u.active) continue;
    reps.push_back({{"name", u.display_name},
                    {"team_id", u.team_id},
                    {"phone", mask_phone(u.phone)},
                    {"open_opportunities", open_by_rep[u.id]},
                    {"stalled_opportunities", stalled_by_rep[u.id]},
                    {"untouched_leads", untouched_by_rep[u.id]},
                    {"overdue_invoices", overdue_by_rep[u.id]}});
  }
  auto lf = lead_funnel(leads).total;
  nlohmann::json team_list = nlohmann::json::array();
  for (const auto& t : teams) team_list.push_back({{"id", t.id}, {"name", t.name}, {"region", t.region}});

  return {{"scope", {{"team_id", link.team_id.empty() ? nlohmann::json() : nlohmann::json(link.team_id)},
                     {"region", link.region.empty() ? nlohmann::json() : nlohmann::json(link.region)},
                     {"label", link.label},
                     {"expires_at", to_iso_instant(link.expires_at)},
                     {"teams", team_list}}},
          {"generated_at", to_iso_instant(now)},
          {"funnel", {{"stages", stages}, {"won", won}, {"lost", lost}}},
          {"lead_funnel", {{"imported", lf.imported}, {"touched", lf.touched}, {"qualified", lf.qualified},
                           {"converted", lf.converted}}},
          {"collections", {{"month", month}, {"total", row_json(dash.company)}, {"teams", coll_teams}, {"reps", coll_reps}}},
          {"team_health", {{"reps", reps}}}};
}

}  // namespace cl::server
