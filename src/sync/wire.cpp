// JSON codecs for the sync wire types (wire.h). Decoders collect every problem with its field path so
// a malformed push is answered with one precise 400, never a throw.
#include "sync/wire.h"

#include "sync/json_read.h"

#include <type_traits>

namespace cl::sync {

std::string_view to_string(PushStatus s) {
  switch (s) {
    case PushStatus::Applied: return "applied";
    case PushStatus::Rejected: return "rejected";
    case PushStatus::Skipped: return "skipped";
  }
  return "applied";
}

namespace {

template <class T, class F>
Json array_of(const std::vector<T>& items, F encode) {
  Json a = Json::array();
  for (const auto& it : items) a.push_back(encode(it));
  return a;
}

// `arr` const or not: `decode` gets each element as `arr` has it (a decoder may move out of it).
template <class T, class A, class F>
std::vector<T> read_array(A& arr, const std::string& path, Problems& out, F decode) {
  std::vector<T> items;
  items.reserve(arr.size());
  for (std::size_t i = 0; i < arr.size(); ++i) {
    Result<T> r = decode(arr[i]);
    if (!r.ok()) {
      for (auto p : r.problems) {
        p.field = path + "[" + std::to_string(i) + "]" + (p.field.empty() ? "" : "." + p.field);
        out.push_back(std::move(p));
      }
    } else {
      items.push_back(std::move(r.value));
    }
  }
  return items;
}

template <class T>
Result<T> finish(T value, Problems problems) {
  if (!problems.empty()) return Result<T>::failure(std::move(problems));
  return Result<T>::success(std::move(value));
}

Json problems_to_json(const Problems& ps) { return array_of(ps, problem_to_json); }

}  // namespace

Json problem_to_json(const Problem& p) {
  return Json{{"code", p.code}, {"field", p.field}, {"message_zh", p.message_zh}, {"message_en", p.message_en}};
}

Result<Problem> problem_from_json(const Json& j) {
  Problems out;
  JsonReader r(j, "", out);
  Problem p;
  p.code = r.str("code");
  p.field = r.str("field", false);
  p.message_zh = r.str("message_zh", false);
  p.message_en = r.str("message_en", false);
  return finish(std::move(p), std::move(out));
}

Json to_json(const Mutation& m) {
  return Json{{"client_id", m.client_id}, {"mid", m.mid},           {"name", m.name},
              {"schema_version", m.schema_version}, {"base_version", m.base_version},
              {"args", m.args},           {"at", m.at}};
}

namespace {

// One decoder for both overloads: from a `const Json` the args are copied, from a `Json` (a request
// body the server owns) they are moved out — the body's largest part, never copied.
template <class J>
Json take_args(J& j) {
  auto it = j.find("args");  // end() when j is not an object
  if (it == j.end() || !it->is_object()) return Json::object();
  if constexpr (std::is_const_v<J>) return *it;
  else return std::move(*it);
}

template <class J>
Result<Mutation> decode_mutation(J& j) {
  Problems out;
  JsonReader r(j, "", out);
  Mutation m;
  m.client_id = r.str("client_id", false);  // inherited from the PushRequest when absent
  m.mid = r.i64("mid");
  m.name = r.str("name");
  m.schema_version = static_cast<int>(r.i64("schema_version", false));
  m.base_version = r.i64("base_version", false);
  r.object("args");  // required, and an object: the problem if not
  m.at = r.i64("at", false);
  if (out.empty() && m.mid <= 0)
    r.fail("mid", "invalid_mid", "mid 必须为正整数", "mid must be a positive integer");
  if (out.empty()) m.args = take_args(j);
  return finish(std::move(m), std::move(out));
}

template <class J>
Result<PushRequest> decode_push_request(J& j) {
  Problems out;
  JsonReader r(j, "", out);
  PushRequest req;
  req.client_id = r.str("client_id");
  req.schema_version = static_cast<int>(r.i64("schema_version"));
  r.array("mutations");  // required, and an array: the problem if not
  if (auto ms = j.find("mutations"); ms != j.end() && ms->is_array())
    req.mutations = read_array<Mutation>(*ms, "mutations", out, [](auto& m) { return decode_mutation(m); });
  std::int64_t prev = 0;
  for (auto& m : req.mutations) {
    if (m.client_id.empty()) m.client_id = req.client_id;
    if (m.schema_version == 0) m.schema_version = req.schema_version;
    if (m.client_id != req.client_id)
      r.fail("mutations", "client_id_mismatch", "变更的设备标识与请求不一致", "mutation client_id differs from the request's");
    if (m.mid <= prev)
      r.fail("mutations", "mids_not_increasing", "变更编号必须递增", "mutation ids must be strictly increasing");
    prev = m.mid;
  }
  if (out.empty() && req.client_id.empty())
    r.fail("client_id", "required_field_missing", "缺少设备标识", "client_id is empty");
  return finish(std::move(req), std::move(out));
}

}  // namespace

Result<Mutation> mutation_from_json(const Json& j) { return decode_mutation(j); }

Json to_json(const PushRequest& req) {
  return Json{{"client_id", req.client_id},
              {"schema_version", req.schema_version},
              {"mutations", array_of(req.mutations, [](const Mutation& m) { return to_json(m); })}};
}

Result<PushRequest> push_request_from_json(const Json& j) { return decode_push_request(j); }

Result<PushRequest> push_request_from_json(Json&& j) { return decode_push_request(j); }

Json to_json(const Conflict& c) {
  return Json{{"type", c.type},
              {"id", c.id},
              {"field", c.field},
              {"server_value", c.server_value},
              {"client_value", c.client_value},
              {"resolution", c.resolution}};
}

Result<Conflict> conflict_from_json(const Json& j) {
  Problems out;
  JsonReader r(j, "", out);
  Conflict c;
  c.type = r.str("type");
  c.id = r.str("id");
  c.field = r.str("field");
  c.server_value = r.any("server_value");
  c.client_value = r.any("client_value");
  c.resolution = r.str("resolution", false, "server_kept");
  return finish(std::move(c), std::move(out));
}

Json to_json(const PushResult& res) {
  return Json{{"mid", res.mid},
              {"status", std::string(to_string(res.status))},
              {"problems", problems_to_json(res.problems)},
              {"conflicts", array_of(res.conflicts, [](const Conflict& c) { return to_json(c); })}};
}

Result<PushResult> push_result_from_json(const Json& j) {
  Problems out;
  JsonReader r(j, "", out);
  PushResult res;
  res.mid = r.i64("mid");
  const std::string status = r.str("status");
  if (status == "applied") res.status = PushStatus::Applied;
  else if (status == "rejected") res.status = PushStatus::Rejected;
  else if (status == "skipped") res.status = PushStatus::Skipped;
  else if (!status.empty()) r.fail("status", "invalid_value", "状态无效", "status must be applied|rejected|skipped");
  res.problems = read_array<Problem>(r.array("problems", false), "problems", out, problem_from_json);
  res.conflicts = read_array<Conflict>(r.array("conflicts", false), "conflicts", out, conflict_from_json);
  return finish(std::move(res), std::move(out));
}

Json to_json(const PushResponse& resp) {
  return Json{{"last_mid", resp.last_mid},
              {"results", array_of(resp.results, [](const PushResult& x) { return to_json(x); })}};
}

Result<PushResponse> push_response_from_json(const Json& j) {
  Problems out;
  JsonReader r(j, "", out);
  PushResponse resp;
  resp.last_mid = r.i64("last_mid");
  resp.results = read_array<PushResult>(r.array("results"), "results", out, push_result_from_json);
  return finish(std::move(resp), std::move(out));
}

Json to_json(const PullRequest& req) {
  return Json{{"client_id", req.client_id},
              {"schema_version", req.schema_version},
              {"cursor", req.cursor},
              {"limit", req.limit}};
}

Result<PullRequest> pull_request_from_json(const Json& j) {
  Problems out;
  JsonReader r(j, "", out);
  PullRequest req;
  req.client_id = r.str("client_id");
  req.schema_version = static_cast<int>(r.i64("schema_version"));
  req.cursor = r.str("cursor", false);
  req.limit = static_cast<int>(r.i64("limit", false, 500));
  return finish(std::move(req), std::move(out));
}

Json to_json(const Change& c) {
  return Json{{"type", c.type}, {"id", c.id}, {"deleted", c.deleted}, {"version", c.version}, {"record", c.record}};
}

Result<Change> change_from_json(const Json& j) {
  Problems out;
  JsonReader r(j, "", out);
  Change c;
  c.type = r.str("type");
  c.id = r.str("id");
  c.deleted = r.boolean("deleted", false);
  c.version = r.i64("version", false);
  c.record = r.object("record", false);
  return finish(std::move(c), std::move(out));
}

Json to_json(const Rejection& rej) {
  return Json{{"mid", rej.mid},
              {"name", rej.name},
              {"args", rej.args},
              {"problems", problems_to_json(rej.problems)},
              {"at", rej.at}};
}

Result<Rejection> rejection_from_json(const Json& j) {
  Problems out;
  JsonReader r(j, "", out);
  Rejection rej;
  rej.mid = r.i64("mid");
  rej.name = r.str("name");
  rej.args = r.object("args", false);
  rej.problems = read_array<Problem>(r.array("problems", false), "problems", out, problem_from_json);
  rej.at = r.i64("at", false);
  return finish(std::move(rej), std::move(out));
}

Json to_json(const PullResponse& resp) {
  return Json{{"changes", array_of(resp.changes, [](const Change& c) { return to_json(c); })},
              {"cursor", resp.cursor},
              {"has_more", resp.has_more},
              {"last_mid", resp.last_mid},
              {"rejections", array_of(resp.rejections, [](const Rejection& x) { return to_json(x); })},
              {"conflicts", array_of(resp.conflicts, [](const Conflict& x) { return to_json(x); })}};
}

Result<PullResponse> pull_response_from_json(const Json& j) {
  Problems out;
  JsonReader r(j, "", out);
  PullResponse resp;
  resp.changes = read_array<Change>(r.array("changes"), "changes", out, change_from_json);
  resp.cursor = r.str("cursor");
  resp.has_more = r.boolean("has_more", false);
  resp.last_mid = r.i64("last_mid", false);
  resp.rejections = read_array<Rejection>(r.array("rejections", false), "rejections", out, rejection_from_json);
  resp.conflicts = read_array<Conflict>(r.array("conflicts", false), "conflicts", out, conflict_from_json);
  return finish(std::move(resp), std::move(out));
}

}  // namespace cl::sync
