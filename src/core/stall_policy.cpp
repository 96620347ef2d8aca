#include "core/stall_policy.h"

#include <algorithm>
#include <string>
#include <unordered_map>

#include "core/settings.h"

namespace cl {
namespace {

std::string hours_text(Instant ms) { return std::to_string(ms / kHour); }

}  // namespace

Instant stall_due_at(const Opportunity& o, const Settings& s) {
  if (o.status != OpportunityStatus::Open || o.stages.empty()) return 0;
  const StageVisit& stay = o.stages.back();
  const StageDef* def = find_stage(s, stay.stage);
  int hours = def ? def->stall_hours : 48;
  return stay.entered_at + static_cast<Instant>(hours) * kHour;
}

bool is_stalled(const Opportunity& o, const Settings& s, Instant now) {
  Instant due = stall_due_at(o, s);
  return due != 0 && now >= due;
}

StallRun due_stall_reminders(const std::vector<Opportunity>& opps, const std::vector<User>& users,
                             const std::vector<Team>& teams, const Settings& s, Instant now) {
  std::unordered_map<std::string, const User*> user_by_id;
  for (const auto& u : users) user_by_id[u.id] = &u;
  std::unordered_map<std::string, const Team*> team_by_id;
  for (const auto& t : teams) team_by_id[t.id] = &t;
  std::vector<const User*> admins;
  for (const auto& u : users)
    if (u.role == Role::Admin && u.active) admins.push_back(&u);
  std::sort(admins.begin(), admins.end(), [](const User* a, const User* b) { return a->id < b->id; });

  auto escalation_targets = [&](const Id& owner) -> std::vector<Id> {
    auto u = user_by_id.find(owner);
    if (u != user_by_id.end()) {
      auto t = team_by_id.find(u->second->team_id);
      if (t != team_by_id.end() && !t->second->manager_id.empty() && t->second->manager_id != owner)
        return {t->second->manager_id};
    }
    std::vector<Id> ids;  // no manager above the owner: sales-ops (admins) hear about it
    for (const User* a : admins)
      if (a->id != owner) ids.push_back(a->id);
    return ids;
  };
  auto display = [&](const Id& id) {
    auto u = user_by_id.find(id);
    return u == user_by_id.end() || u->second->display_name.empty() ? id : u->second->display_name;
  };

  const Instant escalation = static_cast<Instant>(s.escalation_hours) * kHour;
  StallRun run;
  for (const auto& o : opps) {
    if (o.meta.deleted || !is_stalled(o, s, now)) continue;
    const size_t idx = o.stages.size() - 1;
    const StageVisit& stay = o.stages.back();
    const StageDef* def = find_stage(s, stay.stage);
    std::string stage_zh = def ? def->name_zh : std::to_string(stay.stage + 1);
    std::string stage_en = def ? def->name_en : std::to_string(stay.stage + 1);
    std::string base = "stall:" + o.meta.id + ":" + std::to_string(idx) + ":";
    Instant threshold_at = stall_due_at(o, s);
    std::string stalled_for = hours_text(now - stay.entered_at);

    if (stay.level1_sent_at == 0) {
      Reminder r;
      r.kind = ReminderKind::StallLevel1;
      r.dedupe_key = r.id = base + "1";
      r.recipient_id = o.meta.owner_id;
      r.subject_type = "opportunity";
      r.subject_id = o.meta.id;
      r.due_at = threshold_at;
      r.text_zh = "商机「" + o.title + "」已在「" + stage_zh + "」停留 " + stalled_for + " 小时，请推进或说明情况";
      r.text_en = "Opportunity \"" + o.title + "\" has been in \"" + stage_en + "\" for " + stalled_for +
                  " h: move it forward or explain";
      run.reminders.push_back(std::move(r));
      run.updates.push_back({o.meta.id, idx, 1, now});
      continue;  // level 2 is measured from when level 1 was sent, never in the same run
    }
    if (stay.level2_sent_at != 0 || stay.acknowledged_at != 0) continue;
    if (now - stay.level1_sent_at < escalation) continue;
    std::vector<Id> targets = escalation_targets(o.meta.owner_id);
    if (targets.empty()) continue;
    for (const Id& to : targets) {
      Reminder r;
      r.kind = ReminderKind::StallLevel2;
      r.dedupe_key = r.id = base + "2" + (targets.size() > 1 ? ":" + to : "");
      r.recipient_id = to;
      r.subject_type = "opportunity";
      r.subject_id = o.meta.id;
      r.due_at = stay.level1_sent_at + escalation;
      r.text_zh = display(o.meta.owner_id) + " 的商机「" + o.title + "」在「" + stage_zh + "」已停滞 " + stalled_for +
                  " 小时，一级提醒后 " + std::to_string(s.escalation_hours) + " 小时仍未处理";
      r.text_en = display(o.meta.owner_id) + "'s opportunity \"" + o.title + "\" has stalled in \"" + stage_en +
                  "\" for " + stalled_for + " h, unanswered " + std::to_string(s.escalation_hours) +
                  " h after the first reminder";
      run.reminders.push_back(std::move(r));
    }
    run.updates.push_back({o.meta.id, idx, 2, now});
  }
  return run;
}

void apply_stall_update(Opportunity& o, const StallUpdate& u) {
  if (o.meta.id != u.opportunity_id || u.stay_index >= o.stages.size()) return;
  StageVisit& stay = o.stages[u.stay_index];
  Instant& field = u.level == 1 ? stay.level1_sent_at : stay.level2_sent_at;
  if (field == 0) field = u.sent_at;  // first write wins: a replayed update never moves the time
}

Result<StageTransition> acknowledge_stall(const Opportunity& o, const StageContext& ctx) {
  using Out = Result<StageTransition>;
  if (o.status != OpportunityStatus::Open || o.stages.empty())
    return Out::failure({{"opportunity_closed", "status", "商机已关闭", "The opportunity is closed"}});
  const StageVisit& stay = o.stages.back();
  if (stay.level1_sent_at == 0)
    return Out::failure({{"nothing_to_acknowledge", "", "当前没有停滞提醒需要确认", "There is no stall reminder to acknowledge"}});
  if (stay.acknowledged_at != 0)
    return Out::failure({{"already_acknowledged", "", "该停滞提醒已被确认", "This stall reminder was already acknowledged"}});
  StageTransition t{o, {}};
  t.opportunity.stages.back().acknowledged_at = ctx.now;
  t.opportunity.stages.back().acknowledged_by = ctx.actor_id;
  t.opportunity.meta.updated_at = ctx.now;
  t.audit.id = ctx.audit_id;
  t.audit.at = ctx.now;
  t.audit.actor_id = ctx.actor_id;
  t.audit.entity_type = "opportunity";
  t.audit.entity_id = o.meta.id;
  t.audit.action = "acknowledge_stall";
  t.audit.changes.push_back({"stages[" + std::to_string(o.stages.size() - 1) + "].acknowledged_at", "0", std::to_string(ctx.now)});
  return Out::success(std::move(t));
}

}  // namespace cl
