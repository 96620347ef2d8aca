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

  bool has(std::string_view key) const { return j_.is_object() && j_.contains(key) && !j_.at(key).is_null(); }

  std::string str(std::string_view key, bool required = true, std::string fallback = {}) {
    if (!has(key)) { if (required) missing(key); return fallback; }
    const auto& v = j_.at(key);
    if (!v.is_string()) { wrong(key, "string"); return fallback; }
    return v.get<std::string>();
  }
  std::int64_t i64(std::string_view key, bool required = true, std::int64_t fallback = 0) {
    if (!has(key)) { if (required) missing(key); return fallback; }
    const auto& v = j_.at(key);
    if (!v.is_number_integer()) { wrong(key, "integer"); return fallback; }
    return v.get<std::int64_t>();
  }
  bool boolean(std::string_view key, bool required = true, bool fallback = false) {
    if (!has(key)) { if (required) missing(key); return fallback; }
    const auto& v = j_.at(key);
    if (!v.is_boolean()) { wrong(key, "boolean"); return fallback; }
    return v.get<bool>();
  }
  // An array (possibly empty); a missing optional array reads as empty.
  const nlohmann::json& array(std::string_view key, bool required = true) {
    static const nlohmann::json kEmpty = nlohmann::json::array();
    if (!has(key)) { if (required) missing(key); return kEmpty; }
    const auto& v = j_.at(key);
    if (!v.is_array()) { wrong(key, "array"); return kEmpty; }
    return v;
  }
  const nlohmann::json& object(std::string_view key, bool required = true) {
    static const nlohmann::json kEmpty = nlohmann::json::object();
    if (!has(key)) { if (required) missing(key); return kEmpty; }
    const auto& v = j_.at(key);
    if (!v.is_object()) { wrong(key, "object"); return kEmpty; }
    return v;
  }
  const nlohmann::json& any(std::string_view key) {
    static const nlohmann::json kNull;
    return has(key) ? j_.at(key) : kNull;
  }

  std::string path(std::string_view key) const {
    return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
  }
  void fail(std::string_view key, std::string code, std::string zh, std::string en) {
    out_.push_back(Problem{std::move(code), path(key), std::move(zh), std::move(en)});
  }

 private:
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
