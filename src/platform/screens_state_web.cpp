// window.closeloop.screens(): what the field screens show, for the browser tests (a canvas has no
// DOM to query) — conflicts with both values, the open profile's R6 sections, the lifecycle board's
// counts and filter, the customer list's filter, the opportunity card (stage, attached files, the
// move-back panel) and where the company settings came from. Read-only; costs nothing unless called.
#include <emscripten.h>

#include <string>

#include <nlohmann/json.hpp>

#include "app/screens/field_common.h"
#include "app/vm/conflict_vm.h"
#include "app/vm/field_app.h"
#include "core/enum_names.h"

namespace cl::app {
namespace {

nlohmann::json screens_state() {
  nlohmann::json j;
  FieldApp* a = field_app();
  if (!a) return {{"running", false}};
  j["running"] = true;
  j["settings"] = {{"source", field::settings_source()},
                   {"required_fields", a->settings.required_customer_fields},
                   {"stages", a->settings.stages.size()},
                   {"tag_groups", a->settings.tag_groups.size()}};
  nlohmann::json conflicts = nlohmann::json::array();
  for (const auto& r : conflict_rows(a->sync, a->replica))
    conflicts.push_back({{"type", r.conflict.type}, {"id", r.conflict.id}, {"field", r.conflict.field},
                         {"server_value", r.conflict.server_value}, {"client_value", r.conflict.client_value},
                         {"reapply", r.reapply == ReapplyKind::Update     ? "update"
                                     : r.reapply == ReapplyKind::MoveBack ? "move_back"
                                     : r.reapply == ReapplyKind::Advance  ? "advance" : "none"}});
  j["conflicts"] = conflicts;
  const CustomerProfile& p = a->profile.profile();
  nlohmann::json inter = nlohmann::json::array();
  for (const auto& x : p.last_interactions) inter.push_back({{"id", x.meta.id}, {"kind", std::string(enum_name(x.kind))}, {"at", x.at}, {"summary", x.summary}});
  nlohmann::json quotes = nlohmann::json::array();
  for (const auto& q : p.quotes) quotes.push_back(q.code);
  nlohmann::json opps = nlohmann::json::array();
  for (const auto& o : p.open_opportunities) opps.push_back(o.meta.id);
  nlohmann::json timeline = nlohmann::json::array();
  for (const auto& t : p.payment_timeline) timeline.push_back({{"what", t.what}, {"fen", t.amount.fen}, {"code", t.code}});
  j["profile"] = {{"found", p.found}, {"id", p.customer.meta.id}, {"phone", p.customer.phone},
                  {"interactions", inter}, {"quotes", quotes}, {"open_opportunities", opps},
                  {"timeline", timeline}, {"paid_fen", p.paid.fen}, {"invoiced_fen", p.invoiced.fen}};
  const LifecycleBoard& b = a->board.board();
  nlohmann::json cols = nlohmann::json::array();
  for (const auto& c : b.columns) cols.push_back({{"stage", std::string(enum_name(c.stage))}, {"count", c.customer_ids.size()}});
  j["type_values"] = field::tag_values(*a, "customer_type");   // the order of the type drop-downs
  j["board"] = {{"total", b.total}, {"columns", cols}, {"region", a->board_filter.region},
                {"owner_id", a->board_filter.owner_id}, {"tags", a->board_filter.tags}};
  j["list"] = {{"count", a->customer_list.count()}, {"total", a->customer_list.total()},
               {"region", a->customer_filter.region}, {"owner_id", a->customer_filter.owner_id},
               {"tag_group", a->customer_filter.tag_group}, {"tag_value", a->customer_filter.tag_value}};
  const OpportunityCardVM& card = a->card;
  nlohmann::json files = nlohmann::json::array();
  for (const auto& f : card.attached()) files.push_back({{"name", f.file_name}, {"mime", f.mime_type}, {"size", f.size_bytes}, {"sha256", f.sha256}});
  nlohmann::json problems = nlohmann::json::array();
  for (const auto& pr : card.problems()) problems.push_back({{"code", pr.code}, {"field", pr.field}});
  j["card"] = {{"found", card.found()}, {"id", card.found() ? card.opportunity().meta.id : ""},
               {"stage", card.current_stage()}, {"amount_fen", card.opportunity().expected_amount.fen},
               {"attached", files}, {"move_back_to", card.move_back_to}, {"problems", problems},
               {"summary", card.summary_text()}};
  return j;
}

EM_JS(void, js_install_screens_api, (), {
  function install() {
    if (!window.closeloop) { setTimeout(install, 50); return; }
    window.closeloop.screens = function () {
      const p = Module._cl_screens_state_json();
      return p ? JSON.parse(UTF8ToString(p)) : null;
    };
  }
  install();
});

struct InstallScreensApi {
  InstallScreensApi() { js_install_screens_api(); }
};
InstallScreensApi g_install;

}  // namespace
}  // namespace cl::app

extern "C" {

EMSCRIPTEN_KEEPALIVE const char* cl_screens_state_json() {
  static std::string out;
  out = cl::app::screens_state().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return out.c_str();
}

}  // extern "C"
