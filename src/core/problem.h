// Errors as values at module edges (cpp-httplib's Result idea): a rule returns every problem at
// once, each with a stable code, the field it concerns, and a message in Chinese and English.
// The server maps a non-empty list to a 4xx JSON body; the app shows each next to its field.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace cl {

struct Problem {
  std::string code;     // stable, snake_case: "required_field_missing", "evidence_required", …
  std::string field;    // "phone", "tags.region", "lines[2].quantity", or "" for the record
  std::string message_zh;
  std::string message_en;
  friend bool operator==(const Problem&, const Problem&) = default;
};

using Problems = std::vector<Problem>;

// A value or the problems that prevented it.
template <class T>
struct Result {
  T value{};
  Problems problems;
  bool ok() const { return problems.empty(); }
  explicit operator bool() const { return ok(); }
  static Result success(T v) { return Result{std::move(v), {}}; }
  static Result failure(Problems p) { return Result{T{}, std::move(p)}; }
};

}  // namespace cl
