#include "server/customer_csv_import.h"

#include <map>
#include <set>

#include "core/codec.h"
#include "core/customer_import.h"
#include "core/dedup.h"
#include "core/ids.h"
#include "server/extras_records.h"
#include "server/scope.h"
#include "server/store.h"
#include "server/text_encoding.h"

namespace cl::server {

namespace {

using json = nlohmann::json;

json problem_json(const Problem& p) {
  return {{"field", p.field}, {"code", p.code}, {"message_zh", p.message_zh}, {"message_en", p.message_en}};
}

Problem row_problem(int row, std::string code, std::string field, const std::string& zh, const std::string& en) {
  return {std::move(code), std::move(field), "第 " + std::to_string(row) + " 行：" + zh, "row " + std::to_string(row) + ": " + en};
}

bool is_exact(const DuplicateCandidate& c) {
  for (auto r : c.reasons)
    if (r == DuplicateReason::SamePhone || r == DuplicateReason::SameName) return true;
  return false;
}

// R33: who the caller may make the owner of an imported customer.
bool may_own(const User& me, const User& owner) {
  if (!owner.active) return false;
  switch (me.role) {
    case Role::Admin: return true;
    case Role::Manager: return owner.id == me.id || (!me.team_id.empty() && owner.team_id == me.team_id);
    case Role::Rep: return owner.id == me.id;
  }
  return false;
}

json preview_json(const std::string& encoding, const CustomerImportPreview& p, const std::vector<std::string>& owners,
                  std::size_t max_rows_shown = 200) {
  std::map<int, std::pair<json, json>> by_row;  // row → (problems, warnings)
  for (const auto& e : p.errors) by_row[e.row].first.push_back(problem_json(e.problem));
  for (const auto& w : p.warnings) by_row[w.row].second.push_back(problem_json(w.problem));
  json rows = json::array();
  int valid = 0;
  for (std::size_t i = 0; i < p.customers.size(); ++i) {
    const int line = p.customer_rows[i];
    auto& pw = by_row[line];
    const bool ok = pw.first.is_null();
    if (ok) ++valid;
    if (i >= max_rows_shown) continue;
    const auto& c = p.customers[i];
    rows.push_back({{"line", line},
                    {"name", c.name},
                    {"decision_maker", c.decision_maker},
                    {"phone", c.phone},
                    {"tags", c.tags},
                    {"owner", i < owners.size() ? owners[i] : ""},
                    {"ok", ok},
                    {"problems", pw.first.is_null() ? json::array() : pw.first},
                    {"warnings", pw.second.is_null() ? json::array() : pw.second}});
  }
  json fp = json::array();
  for (const auto& pr : p.file_problems) fp.push_back(problem_json(pr));
  return {{"encoding", encoding},
          {"columns", p.headers},
          {"ignored_columns", p.ignored_headers},
          {"total_rows", p.customers.size()},
          {"valid_rows", valid},
          {"invalid_rows", static_cast<int>(p.customers.size()) - valid},
          {"file_problems", fp},
          {"rows", rows}};
}

}  // namespace

CustomerImportOutcome import_customer_csv(Store& store, sqlite3* db, const User& me, const Settings& settings,
                                          std::string_view bytes, bool apply, Instant now,
                                          const std::function<Id()>& new_id, std::size_t max_rows) {
  CustomerImportOutcome out;
  const TextEncoding enc = detect_text_encoding(bytes);
  auto text = to_utf8(bytes, enc);
  if (!text) {
    out.status = 400;
    out.body = {{"error", {{"code", "bad_encoding"},
                           {"message", "the file is neither UTF-8 nor GB18030 text"},
                           {"fields", json::array()}}}};
    return out;
  }

  // Core does the per-row rules; existing customers are checked below, company-wide, so core gets
  // none (its warnings would name records regardless of scope).
  CustomerImportPreview p = preview_customer_import(*text, settings, {});
  if (p.customers.size() > max_rows)
    p.file_problems.push_back({"too_many_rows", "", "一次最多导入 " + std::to_string(max_rows) + " 行",
                               "at most " + std::to_string(max_rows) + " rows per import"});

  const std::vector<Customer> all = load_records<Customer>(db, "customer", {RecordFilter::Kind::All, ""});
  std::set<Id> visible;
  for (const auto& c : load_records<Customer>(db, "customer", filter_for(scope_for(me)))) visible.insert(c.meta.id);
  const DuplicateIndex index(all);

  std::map<std::string, User> users;
  for (auto& u : load_users(db)) users[u.username] = u;

  std::vector<std::string> codes;
  for (const auto& c : all) codes.push_back(c.code);
  std::uint64_t next_code = next_sequence(codes, "KH", 0);

  for (std::size_t i = 0; i < p.customers.size(); ++i) {
    Customer& c = p.customers[i];
    const int row = p.customer_rows[i];
    for (const auto& d : index.find(c, 3)) {
      const bool seen = visible.count(d.customer_id) > 0;
      const std::string who_zh = seen ? d.code + " " + d.name : "其他团队的客户", who_en = seen ? d.code + " " + d.name : "a customer of another team";
      const std::string why_zh = reason_zh(d.reasons.front()), why_en = reason_en(d.reasons.front());
      if (is_exact(d))
        p.errors.push_back({row, row_problem(row, "duplicate_existing", d.reasons.front() == DuplicateReason::SamePhone ? "phone" : "name",
                                             why_zh + "：已有 " + who_zh + (seen ? "" : "，请联系主管"),
                                             why_en + ": already exists as " + who_en + (seen ? "" : " — ask your manager"))});
      else
        p.warnings.push_back({row, row_problem(row, "similar_existing", "name", "名称与 " + who_zh + " 相似",
                                               "name similar to " + who_en)});
      if (is_exact(d)) break;  // one blocking reason is enough
    }
    const std::string& owner_name = p.owner_usernames[i];
    if (owner_name.empty()) {
      c.meta.owner_id = me.id;
    } else if (auto u = users.find(owner_name); u != users.end() && may_own(me, u->second)) {
      c.meta.owner_id = u->second.id;
    } else {
      p.errors.push_back({row, row_problem(row, "owner_not_allowed", "owner", "负责人「" + owner_name + "」不存在或不在您的范围内",
                                           "owner \"" + owner_name + "\" does not exist or is outside your scope")});
    }
  }

  out.body = preview_json(encoding_name(enc), p, p.owner_usernames);
  out.body["dry_run"] = !apply;
  out.body["imported"] = 0;
  if (!apply) return out;
  if (!p.can_apply()) {
    out.status = 422;
    out.body["error"] = {{"code", "import_rejected"},
                         {"message", "no customer was imported: fix the rows listed and try again"},
                         {"fields", json::array()}};
    return out;
  }
  auto applied = apply_customer_import(p, now, me.id, new_id, [&] { return customer_code(0, next_code++); });
  if (!applied.ok()) {  // can_apply() said yes; this is a bug, refuse rather than write half
    out.status = 422;
    out.body["error"] = {{"code", "import_rejected"}, {"message", applied.problems.front().message_en}, {"fields", json::array()}};
    return out;
  }
  std::map<Id, Id> team_of;
  for (const auto& [name, u] : users) team_of[u.id] = u.team_id;
  json ids = json::array();
  for (auto& c : applied.value) {
    c.meta.version = 1;
    RecordRow rec;
    rec.type = "customer";
    rec.id = c.meta.id;
    rec.owner_id = c.meta.owner_id;
    rec.team_id = team_of[c.meta.owner_id];
    auto region = c.tags.find("region");
    rec.region = region == c.tags.end() ? "" : region->second;
    rec.seq = store.next_seq();
    rec.version = 1;
    rec.body = encode(c).dump();
    rec.updated_at = now;
    store.put_record(rec);
    ids.push_back(c.meta.id);
  }
  out.status = 201;
  out.body["imported"] = ids.size();
  out.body["customer_ids"] = ids;
  return out;
}

}  // namespace cl::server
