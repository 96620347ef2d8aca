#include "app/screens/field_common.h"

#include <imgui.h>

#include <cstdio>
#include <map>
#include <set>

#include "app/i18n.h"
#include "app/ui/widgets.h"
#include "app/vm/company_settings.h"
#include "app/vm/conflict_vm.h"
#include "app/vm/line_breaks.h"
#include "app/vm/tag_value_counts.h"
#include "core/codec.h"
#include "core/enum_names.h"
#include "core/money.h"
#include "core/time.h"
#include "platform/browser.h"
#include "platform/http.h"

namespace cl::app::field {

Instant now() { return static_cast<Instant>(platform::now_ms()); }

namespace {

// Company settings (R4 fields and tags, R9 stages…) for the running FieldApp: the device's cached
// copy at start, then GET /api/v1/settings after login and again after a sync at most every 10
// minutes; default_settings() (what FieldApp starts with) until either exists.
struct SettingsFetch {
  const FieldApp* app = nullptr;
  Id user;
  SettingsSource source = SettingsSource::Defaults;
  bool in_flight = false;
  Instant next_at = 0;            // earliest next request
  Instant sync_seen = 0;          // last_success_at of the sync when we last asked
};
SettingsFetch g_settings;
constexpr Instant kSettingsRefreshMs = 10 * 60 * 1000;

std::string settings_cache_key(const Id& user) { return "closeloop.settings." + user; }

void company_settings(FieldApp& app) {
  if (g_settings.app != &app || g_settings.user != app.user_id) {
    g_settings = SettingsFetch{};
    g_settings.app = &app;
    g_settings.user = app.user_id;
    const std::string cached = platform::local_storage_get(settings_cache_key(app.user_id));
    if (!cached.empty())
      if (auto r = parse_company_settings(cached); r.ok()) {
        apply_company_settings(app, r.value);
        g_settings.source = SettingsSource::DeviceCache;
      }
  }
  const Instant t = now();
  const SyncStatus& st = app.sync.status();
  if (g_settings.in_flight || t < g_settings.next_at || st.connectivity == Connectivity::Offline) return;
  // First time for this session, or a sync succeeded since we last asked (and the refresh time passed).
  if (g_settings.next_at != 0 && st.last_success_at <= g_settings.sync_seen) return;
  g_settings.in_flight = true;
  g_settings.sync_seen = st.last_success_at;
  const FieldApp* asked_for = &app;
  const Id user = app.user_id;
  platform::http_get_json("/api/v1/settings", [asked_for, user](const platform::HttpResponse& r) {
    FieldApp* a = field_app();
    if (a != asked_for || g_settings.app != asked_for || g_settings.user != user) return;   // logged out meanwhile
    g_settings.in_flight = false;
    if (r.ok()) {
      if (auto parsed = parse_company_settings(r.body); parsed.ok()) {
        apply_company_settings(*a, parsed.value);
        g_settings.source = SettingsSource::Server;
        platform::local_storage_set(settings_cache_key(user), encode(parsed.value).dump());
      }
      g_settings.next_at = now() + kSettingsRefreshMs;
    } else {
      // Offline / not deployed yet (404): keep what we have, ask again after the next good sync.
      g_settings.next_at = now() + (r.status == 0 ? 30'000 : kSettingsRefreshMs);
    }
    platform::request_redraw();
  });
}

}  // namespace

const std::vector<std::string>& tag_values(const FieldApp& app, const std::string& group) {
  // The replica's values are counted from its journal (tag_value_counts.h): a synced record costs a
  // few map updates here, not a rescan of every customer.
  struct Cache {
    explicit Cache(const std::string& g) : counts(g) {}
    TagValueCounts counts;
    std::uint64_t revision = ~0ull;
    std::size_t settings_n = 0;
    std::vector<std::string> values;
  };
  static std::map<std::string, Cache> caches;
  Cache& c = caches.try_emplace(group, group).first->second;
  std::size_t configured_n = 0;
  for (const auto& g : app.settings.tag_groups)
    if (g.key == group) configured_n = g.values.size();
  if (c.revision == app.replica.revision() && c.settings_n == configured_n) return c.values;
  c.revision = app.replica.revision();
  c.settings_n = configured_n;
  c.counts.sync(app.replica);
  c.values.clear();
  std::set<std::string> seen;
  for (const auto& g : app.settings.tag_groups)
    if (g.key == group)
      for (const auto& v : g.values)
        if (seen.insert(v).second) c.values.push_back(v);
  for (const auto& [value, n] : c.counts.counts())  // sorted, as before
    if (!seen.count(value)) c.values.push_back(value);
  return c.values;
}

const char* settings_source() { return settings_source_name(g_settings.source); }

FieldApp* require(ScreenContext&) {
  FieldApp* app = field_app();
  if (!app) {
    ImGui::TextDisabled("%s", tr("field.loading_replica"));
    return nullptr;
  }
  company_settings(*app);
  return app;
}

const std::string& problem_text(const Problem& p) {
  return current_lang() == Lang::En ? p.message_en : p.message_zh;
}

namespace {

std::string stage_label(const FieldApp& app, int stage) {
  const auto& stages = app.settings.stages;
  std::string out = std::to_string(stage + 1);
  if (stage >= 0 && stage < static_cast<int>(stages.size()))
    out += " " + (current_lang() == Lang::En ? stages[static_cast<std::size_t>(stage)].name_en
                                             : stages[static_cast<std::size_t>(stage)].name_zh);
  return out;
}

// A guarded field's value as the user knows it: stage names, yuan, status words.
std::string conflict_value(const FieldApp& app, const std::string& field, const nlohmann::json& v) {
  if (field == "stage" && v.is_number_integer()) return stage_label(app, v.get<int>());
  if (field.size() > 4 && field.compare(field.size() - 4, 4, "_fen") == 0 && v.is_number_integer())
    return format_yuan(Money{v.get<std::int64_t>()});
  if (field == "status" && v.is_string()) {
    const std::string s = v.get<std::string>();
    return tr(s == "won" ? "opportunities.won" : s == "lost" ? "opportunities.lost" : "conflict.status.open");
  }
  if (v.is_string()) return v.get<std::string>();
  return v.dump();
}

const char* conflict_field_label(const std::string& field) {
  for (const char* f : {"stage", "expected_amount_fen", "owner_id", "status", "title"})
    if (field == f) return tr("conflict.field." + field);
  return tr("conflict.field.other");
}

// R32: the server kept its value for a guarded field; both values, and the user decides.
void conflicts_section(ScreenContext& ctx, FieldApp& app, const std::vector<ConflictRow>& rows) {
  ImGui::TextColored(ImVec4(0.65f, 0.35f, 0.0f, 1), "%s (%d)", tr("conflict.title"), static_cast<int>(rows.size()));
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const ConflictRow& r = rows[k];
    const sync::Conflict& c = r.conflict;
    ImGui::PushID(static_cast<int>(r.index) + 100000);
    const std::string line = r.record_title + (r.record_present ? "" : tr("conflict.record_gone")) + " · " +
                             conflict_field_label(c.field) + "：" + tr("conflict.server") + " " +
                             conflict_value(app, c.field, c.server_value) + " ｜ " + tr("conflict.mine") + " " +
                             conflict_value(app, c.field, c.client_value);
    // Wrapped by line_breaks.h, not TextWrapped: ImGui breaks after any comma, "¥123," / "456.00".
    ImGui::TextUnformatted(wrap_lines(line, ImGui::GetContentRegionAvail().x, [](std::string_view t) {
                             return ImGui::CalcTextSize(t.data(), t.data() + t.size()).x;
                           }).c_str());
    const std::string n = std::to_string(k);
    if (ui::touch_button(tr("conflict.keep_server"))) {
      keep_server_value(app.sync, r.index);
      ui::toast(tr("conflict.kept"));
    }
    ui::mark_target("conflict.keep." + n);
    if (r.reapply != ReapplyKind::None) {
      ImGui::SameLine();
      const bool on_card = r.reapply != ReapplyKind::Update;
      if (ui::touch_button(tr(on_card ? "conflict.redo_on_card" : "conflict.reapply"))) {
        if (r.reapply == ReapplyKind::Update) {
          auto res = reapply_update(app.sync, app.replica, r.index, now());
          ui::toast(res.ok() ? tr("conflict.reapplied") : problem_text(res.problems.front()).c_str());
        } else {
          // A stage is re-done where R10's rules are: back needs a reason, forward needs evidence.
          if (r.reapply == ReapplyKind::MoveBack) app.card.open_move_back(c.id, r.mine_stage);
          keep_server_value(app.sync, r.index);
          ctx.navigate("opportunities/" + c.id);
        }
      }
      ui::mark_target("conflict.reapply." + n);
    }
    ImGui::PopID();
  }
}

}  // namespace

void issues_banner(ScreenContext& ctx, FieldApp& app) {
  auto issues = app.sync.issues();
  const auto conflicts = conflict_rows(app.sync, app.replica);
  if (!conflicts.empty()) {
    ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(1.0f, 0.97f, 0.88f, 1.0f));
    ImGui::BeginChild("##sync_conflicts", ImVec2(0, 0), ImGuiChildFlags_Borders | ImGuiChildFlags_AutoResizeY);
    conflicts_section(ctx, app, conflicts);
    ImGui::EndChild();
    ImGui::PopStyleColor();
  }
  if (issues.empty()) return;
  ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(1.0f, 0.93f, 0.90f, 1.0f));
  const float h = ImGui::GetTextLineHeightWithSpacing() * 2.2f * static_cast<float>(std::min<std::size_t>(issues.size(), 3)) +
                  ImGui::GetStyle().WindowPadding.y * 2 + ui::row_height();
  ImGui::BeginChild("##sync_issues", ImVec2(0, h), ImGuiChildFlags_Borders);
  ImGui::TextColored(ImVec4(0.7f, 0.1f, 0.1f, 1), "%s (%d)", tr("sync.issues_title"), static_cast<int>(issues.size()));
  for (const auto& issue : issues) {
    ImGui::PushID(static_cast<int>(issue.mid));
    std::string label = std::string(tr(("mutation." + issue.mutation_name).c_str()));
    std::string reason;
    for (const auto& p : issue.problems) reason += (reason.empty() ? "" : "；") + problem_text(p);
    ImGui::TextWrapped("%s%s: %s", label.c_str(), issue.local_only ? tr("sync.local_only_suffix") : "", reason.c_str());
    if (!issue.fix_route.empty() && issue.fix_route != ctx.route.path) {
      if (ui::touch_button(tr("sync.fix"))) ctx.navigate(issue.fix_route);
      ui::mark_target("sync.fix." + std::to_string(issue.mid));
      ImGui::SameLine();
    }
    if (!issue.local_only) {
      if (ui::touch_button(tr("sync.dismiss"))) app.sync.dismiss(issue.mid, now());
      ui::mark_target("sync.dismiss." + std::to_string(issue.mid));
    }
    ImGui::PopID();
  }
  ImGui::EndChild();
  ImGui::PopStyleColor();
}

// A combo over `values` with an "all" entry; returns true on change. `target` names the combo and
// its items ("<target>.all", "<target>.<i>") for the browser tests.
bool filter_combo(const char* id, const char* all_label, const std::vector<std::string>& values, std::string& value,
                  const std::string& target) {
  return filter_combo(id, all_label, [&]() -> const std::vector<std::string>& { return values; }, value, target);
}

bool filter_combo(const char* id, const char* all_label, const std::function<const std::vector<std::string>&()>& get_values,
                  std::string& value, const std::string& target) {
  bool changed = false;
  const bool open = ImGui::BeginCombo(id, value.empty() ? all_label : value.c_str(), ImGuiComboFlags_HeightLarge);
  ui::mark_target(target);
  if (open) {
    const std::vector<std::string>& values = get_values();
    ImGui::PushStyleVar(ImGuiStyleVar_SelectableTextAlign, ImVec2(0.0f, 0.5f));   // touch-tall rows: centred text
    if (ImGui::Selectable(all_label, value.empty(), 0, ImVec2(0, ui::row_height()))) { value.clear(); changed = true; }
    ui::mark_target(target + ".all");
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (ImGui::Selectable(values[i].c_str(), values[i] == value, 0, ImVec2(0, ui::row_height()))) { value = values[i]; changed = true; }
      ui::mark_target(target + "." + std::to_string(i));
    }
    ImGui::PopStyleVar();
    ImGui::EndCombo();
  }
  return changed;
}

std::string format_datetime(Instant t) {
  if (t <= 0) return "-";
  Date d = beijing_date(t);
  Instant into = t + kBeijingOffset - (beijing_midnight(d) + kBeijingOffset);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d", d.year, d.month, d.day, static_cast<int>(into / kHour),
                static_cast<int>((into % kHour) / kMinute));
  return buf;
}

std::string format_dwell(Instant ms) {
  if (ms < 0) ms = 0;
  const long long days = ms / kDay, hours = (ms % kDay) / kHour;
  char buf[48];
  std::snprintf(buf, sizeof buf, tr("field.dwell_fmt"), days, hours);
  return buf;
}

const char* activity_kind_label(ActivityKind k) {
  static std::string key;
  key = "activity.kind." + std::string(enum_name(k));
  return tr(key);
}

void field_error(const Problem* p) {
  if (!p) return;
  ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.80f, 0.10f, 0.10f, 1.0f));
  ImGui::TextWrapped("%s", problem_text(*p).c_str());
  ImGui::PopStyleColor();
}

void toast_queued(const FieldApp& app, const char* key) {
  ui::toast(app.sync.status().connectivity == Connectivity::Offline ? tr(std::string(key) + "_offline") : tr(key));
}

}  // namespace cl::app::field
