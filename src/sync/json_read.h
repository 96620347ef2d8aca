// Non-throwing JSON field readers for decoders: the server decodes untrusted bodies (never trust the
// client), so a wrong type becomes a Problem naming the field, never an exception or a crash.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/problem.h"

namespace cl::sync {

class JsonReader {
 public:
  JsonReader(const nlohmann::json& j, std::string prefix, Problems& out)
      : j_(j), prefix_(std::move(prefix)), out_(out) {
    if (!j_.is_object()) fail("", "not_an_object", "应为对象", "must be a JSON object");
  }

  bool has(std::string_view key) const { return find(key) != nullptr; }

  // Each reader looks its key up once (find), not three times (contains, then at for the null check,
  // then at for the value): a push decodes every mutation's envelope with these.
  std::string str(std::string_view key, bool required = true, std::string fallback = {}) {
    const nlohmann::json* v = find(key);
    if (!v) { if (required) missing(key); return fallback; }
    if (!v->is_string()) { wrong(key, "string"); return fallback; }
    return v->get<std::string>();
  }
  std::int64_t i64(std::string_view key, bool required = true, std::int64_t fallback = 0) {
    const nlohmann::json* v = find(key);
    if (!v) { if (required) missing(key); return fallback; }
    if (!v->is_number_integer()) { wrong(key, "integer"); return fallback; }
    return v->get<std::int64_t>();
  }
  bool boolean(std::string_view key, bool required = true, bool fallback = false) {
    const nlohmann::json* v = find(key);
    if (!v) { if (required) missing(key); return fallback; }
    if (!v->is_boolean()) { wrong(key, "boolean"); return fallback; }
    return v->get<bool>();
  }
  // An array (possibly empty); a missing optional array reads as empty.
  const nlohmann::json& array(std::string_view key, bool required = true) {
    static const nlohmann::json kEmpty = nlohmann::json::array();
    const nlohmann::json* v = find(key);
    if (!v) { if (required) missing(key); return kEmpty; }
    if (!v->is_array()) { wrong(key, "array"); return kEmpty; }
    return *v;
  }
  const nlohmann::json& object(std::string_view key, bool required = true) {
    static const nlohmann::json kEmpty = nlohmann::json::object();
    const nlohmann::json* v = find(key);
    if (!v) { if (required) missing(key); return kEmpty; }
    if (!v->is_object()) { wrong(key, "object"); return kEmpty; }
    return *v;
  }
  const nlohmann::json& any(std::string_view key) {
    static const nlohmann::json kNull;
    const nlohmann::json* v = find(key);
    return v ? *v : kNull;
  }

  std::string path(std::string_view key) const {
    return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
  }
  void fail(std::string_view key, std::string code, std::string zh, std::string en) {
    out_.push_back(Problem{std::move(code), path(key), std::move(zh), std::move(en)});
  }

 private:
  // The value under key, or nullptr when it is absent, null, or this is not an object.
  const nlohmann::json* find(std::string_view key) const {
    if (!j_.is_object()) return nullptr;
    auto it = j_.find(key);
    return it == j_.end() || it->is_null() ? nullptr : &*it;
  }
  void missing(std::string_view key) {
    fail(key, "required_field_missing", "缺少字段 " + path(key), "missing field " + path(key));
  }
  void wrong(std::string_view key, std::string_view type) {
    fail(key, "wrong_type", "字段类型错误 " + path(key), "field " + path(key) + " must be " + std::string(type));
  }

  const nlohmann::json& j_;
  std::string prefix_;
  Problems& out_;
};

}  // namespace cl::sync
