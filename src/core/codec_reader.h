// Internal to the codec_*.cpp files: a field reader that collects Problems instead of throwing,
// with the path of nested fields ("lines[2].quantity") so the app can point at the culprit.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/enum_names.h"
#include "core/model.h"
#include "core/problem.h"

namespace cl::codec {

using json = nlohmann::json;

class Reader {
 public:
  Reader(const json& object, Problems& problems, std::string prefix)
      : j_(object), problems_(problems), prefix_(std::move(prefix)) {}

  std::string path(const char* key) const { return prefix_ + key; }
  void problem(std::string code, std::string field, std::string zh, std::string en) {
    problems_.push_back({std::move(code), std::move(field), std::move(zh), std::move(en)});
  }
  void wrong_type(const char* key, const char* expected_zh, const char* expected_en);
  void missing(const char* key);

  // Each reader leaves `out` untouched when the key is absent or null, and reports a wrong type.
  void text(const char* key, std::string& out, bool required = false);
  void integer(const char* key, std::int64_t& out);
  void integer(const char* key, int& out);
  void flag(const char* key, bool& out);
  void money(const char* key, Money& out);  // key includes the _fen suffix
  void date(const char* key, Date& out);
  void texts(const char* key, std::vector<std::string>& out);
  void text_map(const char* key, std::map<std::string, std::string>& out);

  template <class E>
  void enumeration(const char* key, E& out) {
    const json* v = find(key);
    if (!v) return;
    if (!v->is_string()) return wrong_type(key, "文本", "a string");
    auto e = parse_enum<E>(v->get_ref<const std::string&>());
    if (!e) {
      problem("invalid_enum", path(key), "字段 " + path(key) + " 的取值 \"" + v->get<std::string>() + "\" 无效",
              "Field " + path(key) + " has an unknown value \"" + v->get<std::string>() + "\"");
      return;
    }
    out = *e;
  }

  template <class T>
  void list(const char* key, std::vector<T>& out);

  // The record's id is required: without it a record cannot be stored, synced or referred to.
  void required_id(std::string& out) { text("id", out, true); }

  const json* find(const char* key) const {
    // As a string_view, the key's length is taken once, not at every comparison down the map.
    auto it = j_.find(std::string_view(key));
    if (it == j_.end() || it->is_null()) return nullptr;
    return &*it;
  }
  const std::string& prefix() const { return prefix_; }
  Problems& problems() { return problems_; }

 private:
  const json& j_;
  Problems& problems_;
  std::string prefix_;
};

// read_fields: one per struct, defined next to its encoder in codec_*.cpp.
void read_fields(Reader&, RecordMeta&);
void read_fields(Reader&, User&);
void read_fields(Reader&, Team&);
void read_fields(Reader&, TagGroup&);
void read_fields(Reader&, StageDef&);
void read_fields(Reader&, MessageTemplate&);
void read_fields(Reader&, Settings&);
void read_fields(Reader&, Lead&);
void read_fields(Reader&, Contact&);
void read_fields(Reader&, OwnerChange&);
void read_fields(Reader&, Customer&);
void read_fields(Reader&, EvidenceRef&);
void read_fields(Reader&, StageVisit&);
void read_fields(Reader&, Opportunity&);
void read_fields(Reader&, Activity&);
void read_fields(Reader&, Product&);
void read_fields(Reader&, PriceItem&);
void read_fields(Reader&, PriceList&);
void read_fields(Reader&, QuoteLine&);
void read_fields(Reader&, Quote&);
void read_fields(Reader&, Contract&);
void read_fields(Reader&, Invoice&);
void read_fields(Reader&, Payment&);
void read_fields(Reader&, CollectionTarget&);
void read_fields(Reader&, Reminder&);
void read_fields(Reader&, ShareScope&);
void read_fields(Reader&, FieldChange&);
void read_fields(Reader&, AuditEvent&);
void read_fields(Reader&, Problem&);

template <class T>
void Reader::list(const char* key, std::vector<T>& out) {
  const json* v = find(key);
  if (!v) return;
  if (!v->is_array()) return wrong_type(key, "数组", "an array");
  out.clear();
  out.reserve(v->size());
  for (size_t i = 0; i < v->size(); ++i) {
    const json& e = (*v)[i];
    std::string item_path = path(key) + "[" + std::to_string(i) + "]";
    T item{};
    if (!e.is_object()) {
      problem("invalid_type", item_path, "字段 " + item_path + " 类型错误，应为对象",
              "Field " + item_path + " has the wrong type: expected an object");
    } else {
      Reader child(e, problems_, item_path + ".");
      read_fields(child, item);
    }
    out.push_back(std::move(item));
  }
}

// Encoding helpers shared by the codec files.

// A JSON object built from keys given in the map's (sorted) order: each goes in at the end after one
// comparison instead of a search down the tree — the records a sync push stores most (activities,
// customers) are encoded with it. A key given out of order still lands in its place, only slower.
class SortedObject {
 public:
  SortedObject() : j_(json::object()), o_(j_.get_ref<json::object_t&>()) {}
  SortedObject(const SortedObject&) = delete;
  SortedObject& operator=(const SortedObject&) = delete;
  template <class V>
  SortedObject& put(const char* key, V&& value) {
    o_.emplace_hint(o_.end(), key, std::forward<V>(value));
    return *this;
  }
  json take() { return std::move(j_); }

 private:
  json j_;
  json::object_t& o_;
};

json date_value(Date d);
void put_meta(json& j, const RecordMeta& m);
void put_schema_version(json& j);
void check_schema_version(Reader& r);

}  // namespace cl::codec
