#include "core/codec_reader.h"

#include <limits>

#include "core/time.h"
#include "core/version.h"

namespace cl::codec {

void Reader::wrong_type(const char* key, const char* expected_zh, const char* expected_en) {
  problem("invalid_type", path(key), "字段 " + path(key) + " 类型错误，应为" + expected_zh,
          "Field " + path(key) + " has the wrong type: expected " + expected_en);
}

void Reader::missing(const char* key) {
  problem("required_field_missing", path(key), "缺少必填字段 " + path(key),
          "Required field " + path(key) + " is missing");
}

void Reader::text(const char* key, std::string& out, bool required) {
  const json* v = find(key);
  if (!v) {
    if (required) missing(key);
    return;
  }
  if (!v->is_string()) return wrong_type(key, "文本", "a string");
  out = v->get<std::string>();
  if (required && out.empty()) missing(key);
}

void Reader::integer(const char* key, std::int64_t& out) {
  const json* v = find(key);
  if (!v) return;
  if (v->is_number_unsigned()) {
    auto u = v->get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      problem("out_of_range", path(key), "字段 " + path(key) + " 数值超出范围",
              "Field " + path(key) + " is out of range");
      return;
    }
    out = static_cast<std::int64_t>(u);
    return;
  }
  if (!v->is_number_integer()) return wrong_type(key, "整数", "an integer");
  out = v->get<std::int64_t>();
}

void Reader::integer(const char* key, int& out) {
  std::int64_t wide = out;
  size_t before = problems_.size();
  integer(key, wide);
  if (problems_.size() != before) return;
  if (wide < std::numeric_limits<int>::min() || wide > std::numeric_limits<int>::max()) {
    problem("out_of_range", path(key), "字段 " + path(key) + " 数值超出范围", "Field " + path(key) + " is out of range");
    return;
  }
  out = static_cast<int>(wide);
}

void Reader::flag(const char* key, bool& out) {
  const json* v = find(key);
  if (!v) return;
  if (!v->is_boolean()) return wrong_type(key, "true/false", "a boolean");
  out = v->get<bool>();
}

void Reader::money(const char* key, Money& out) {
  // Fen are integers by definition: 12.5 fen is a bug upstream, not a rounding opportunity.
  integer(key, out.fen);
}

void Reader::date(const char* key, Date& out) {
  const json* v = find(key);
  if (!v) return;
  if (!v->is_string()) return wrong_type(key, "日期文本 YYYY-MM-DD", "a date string YYYY-MM-DD");
  const auto& s = v->get_ref<const std::string&>();
  if (s.empty()) return;  // unset date: keep the default
  auto d = parse_iso_date(s);
  if (!d) {
    problem("invalid_date", path(key), "字段 " + path(key) + " 不是有效日期（YYYY-MM-DD）：" + s,
            "Field " + path(key) + " is not a valid date (YYYY-MM-DD): " + s);
    return;
  }
  out = *d;
}

void Reader::texts(const char* key, std::vector<std::string>& out) {
  const json* v = find(key);
  if (!v) return;
  if (!v->is_array()) return wrong_type(key, "文本数组", "an array of strings");
  std::vector<std::string> result;
  for (size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string()) {
      std::string p = path(key) + "[" + std::to_string(i) + "]";
      problem("invalid_type", p, "字段 " + p + " 类型错误，应为文本", "Field " + p + " has the wrong type: expected a string");
      continue;
    }
    result.push_back((*v)[i].get<std::string>());
  }
  out = std::move(result);
}

void Reader::text_map(const char* key, std::map<std::string, std::string>& out) {
  const json* v = find(key);
  if (!v) return;
  if (!v->is_object()) return wrong_type(key, "对象（键 → 文本）", "an object of strings");
  std::map<std::string, std::string> result;
  for (auto it = v->begin(); it != v->end(); ++it) {
    if (!it.value().is_string()) {
      std::string p = path(key) + "." + it.key();
      problem("invalid_type", p, "字段 " + p + " 类型错误，应为文本", "Field " + p + " has the wrong type: expected a string");
      continue;
    }
    result[it.key()] = it.value().get<std::string>();
  }
  out = std::move(result);
}

json date_value(Date d) { return to_iso_date(d); }

void put_meta(json& j, const RecordMeta& m) {
  j["id"] = m.id;
  j["owner_id"] = m.owner_id;
  j["created_at"] = m.created_at;
  j["updated_at"] = m.updated_at;
  j["version"] = m.version;
  j["deleted"] = m.deleted;
}

void put_schema_version(json& j) { j["schema_version"] = kSchemaVersion; }

void check_schema_version(Reader& r) {
  int v = kSchemaVersion;
  size_t before = r.problems().size();
  r.integer("schema_version", v);
  if (r.problems().size() != before) return;
  // A record written by a newer schema may carry meaning we would silently drop: refuse it.
  if (v > kSchemaVersion || v < 1)
    r.problem("unsupported_schema_version", r.path("schema_version"),
              "数据版本 " + std::to_string(v) + " 不受支持（当前 " + std::to_string(kSchemaVersion) + "），请更新应用",
              "Schema version " + std::to_string(v) + " is not supported (this build reads " +
                  std::to_string(kSchemaVersion) + "); please update the app");
}

void read_fields(Reader& r, RecordMeta& m) {
  r.required_id(m.id);
  r.text("owner_id", m.owner_id);
  r.integer("created_at", m.created_at);
  r.integer("updated_at", m.updated_at);
  r.integer("version", m.version);
  r.flag("deleted", m.deleted);
}

}  // namespace cl::codec
