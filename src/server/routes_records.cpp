// Read endpoints over replicated records for screens that are not served from the replica (manager
// views, other modules): GET /api/v1/{customers,opportunities,leads,activities}[/{id}].
// R33: the scope is computed from the caller on every request; lists, totals and search only ever see
// in-scope records, and an out-of-scope id answers exactly like a missing one (404 not_found).
#include <algorithm>
#include <cctype>

#include "server/auth.h"
#include "server/http_json.h"
#include "server/routes_sync.h"
#include "server/scope.h"
#include "server/store.h"

namespace cl::server {

namespace {

struct ListSpec {
  const char* path;                        // "customers"
  const char* type;                        // "customer"
  const char* noun;                        // for messages
  std::vector<const char*> search_fields;  // q matches any of these (case-insensitive substring)
  std::vector<const char*> filters;        // ?field=value exact match on top-level string fields
  const char* sort_key;                    // newest first by this integer field
};

const std::vector<ListSpec>& specs() {
  static const std::vector<ListSpec> k = {
      {"customers", "customer", "customer", {"name", "code", "phone", "decision_maker", "main_business", "address"},
       {"owner_id", "code"}, "updated_at"},
      {"opportunities", "opportunity", "opportunity", {"title"}, {"owner_id", "customer_id", "status"}, "updated_at"},
      {"leads", "lead", "lead", {"company", "contact_name", "phone", "source", "region"},
       {"owner_id", "status", "source", "region"}, "updated_at"},
      {"activities", "activity", "activity", {"summary", "outcome"},
       {"owner_id", "customer_id", "opportunity_id", "lead_id", "kind"}, "at"},
  };
  return k;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool matches_query(const json& rec, const ListSpec& spec, const std::string& q) {
  if (q.empty()) return true;
  for (const char* f : spec.search_fields) {
    auto it = rec.find(f);
    if (it != rec.end() && it->is_string() && lower(it->get<std::string>()).find(q) != std::string::npos) return true;
  }
  return false;
}

bool matches_filters(const json& rec, const ListSpec& spec, const httplib::Request& req) {
  for (const char* f : spec.filters) {
    if (!req.has_param(f)) continue;
    auto it = rec.find(f);
    if (it == rec.end() || !it->is_string() || it->get<std::string>() != req.get_param_value(f)) return false;
  }
  // tag.<group>=value filters (customers, R7).
  for (const auto& [key, value] : req.params) {
    if (key.rfind("tag.", 0) != 0) continue;
    const auto tags = rec.find("tags");
    if (tags == rec.end() || !tags->is_object()) return false;
    auto t = tags->find(key.substr(4));
    if (t == tags->end() || !t->is_string() || t->get<std::string>() != value) return false;
  }
  if (req.has_param("stage")) {  // opportunities: the current stage index
    auto st = rec.find("stages");
    if (st == rec.end() || !st->is_array() || st->empty()) return false;
    if (std::to_string(st->back().value("stage", -1)) != req.get_param_value("stage")) return false;
  }
  return true;
}

int bounded_param(const httplib::Request& req, const char* key, int fallback, int lo, int hi) {
  if (!req.has_param(key)) return fallback;
  const std::string v = req.get_param_value(key);
  if (v.empty() || v.size() > 9 || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) return -1;
  return std::clamp(std::stoi(v), lo, hi);
}

}  // namespace

void register_record_routes(ApiRouter& r, ServerContext& ctx) {
  for (const ListSpec& spec : specs()) {
    const ListSpec* s = &spec;
    r.get(std::string("/api/v1/") + spec.path, [&ctx, s](const httplib::Request& req, httplib::Response& res) {
      auto user = require_user(req, res, ctx);
      if (!user) return;
      const int limit = bounded_param(req, "limit", 50, 1, 500);
      const int offset = bounded_param(req, "offset", 0, 0, 1'000'000'000);
      if (limit < 0 || offset < 0) return write_error(res, 400, "bad_request", "limit and offset must be non-negative integers");
      const std::string q = lower(req.get_param_value("q"));
      if (q.size() > 200) return write_error(res, 400, "bad_request", "q is limited to 200 bytes");
      const Scope scope = scope_for(*user);
      std::vector<json> hits;
      ctx.store.read([&] {
        for (const auto& row : ctx.store.records_of_type(s->type, scope)) {
          if (!in_scope(scope, row.owner_id, row.team_id)) continue;  // belt and braces (R33)
          json rec = json::parse(row.body, nullptr, false);
          if (!rec.is_object()) continue;
          if (!matches_query(rec, *s, q) || !matches_filters(rec, *s, req)) continue;
          hits.push_back(std::move(rec));
        }
      });
      std::stable_sort(hits.begin(), hits.end(), [s](const json& a, const json& b) {
        return a.value(s->sort_key, std::int64_t{0}) > b.value(s->sort_key, std::int64_t{0});
      });
      json items = json::array();
      for (std::size_t i = static_cast<std::size_t>(offset); i < hits.size() && items.size() < static_cast<std::size_t>(limit); ++i)
        items.push_back(std::move(hits[i]));
      write_json(res, {{"items", items}, {"total", hits.size()}, {"limit", limit}, {"offset", offset}});
    });

    r.get(std::string("/api/v1/") + spec.path + "/([^/]+)", [&ctx, s](const httplib::Request& req, httplib::Response& res) {
      auto user = require_user(req, res, ctx);
      if (!user) return;
      const std::string id = req.matches[1];
      const Scope scope = scope_for(*user);
      auto row = ctx.store.read([&] { return ctx.store.get_record(s->type, id); });
      // Missing, deleted and out-of-scope are one answer, word for word (R33: no existence oracle).
      if (!row || row->deleted || !in_scope(scope, row->owner_id, row->team_id))
        return write_error(res, 404, "not_found", std::string("no such ") + s->noun);
      json rec = json::parse(row->body, nullptr, false);
      if (!rec.is_object()) return write_error(res, 404, "not_found", std::string("no such ") + s->noun);
      write_json(res, rec);
    });
  }
}

}  // namespace cl::server
