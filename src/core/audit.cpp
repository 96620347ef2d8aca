#include "core/audit.h"

namespace cl {
namespace {

using json = nlohmann::json;

bool bookkeeping(const std::string& key) {
  return key == "updated_at" || key == "version" || key == "schema_version";
}

std::string text_of(const json* v) {
  if (v == nullptr || v->is_null()) return "";
  if (v->is_string()) return v->get<std::string>();
  return v->dump();
}

void diff(const json* a, const json* b, const std::string& path, std::vector<FieldChange>& out) {
  if (a && b && *a == *b) return;
  const bool a_obj = a && a->is_object(), b_obj = b && b->is_object();
  if ((a_obj || !a || a->is_null()) && (b_obj || !b || b->is_null()) && (a_obj || b_obj)) {
    // Walk the union of keys in sorted order (nlohmann objects iterate sorted).
    static const json kEmpty = json::object();
    const json& x = a_obj ? *a : kEmpty;
    const json& y = b_obj ? *b : kEmpty;
    auto ix = x.begin(), iy = y.begin();
    while (ix != x.end() || iy != y.end()) {
      std::string key;
      const json *vx = nullptr, *vy = nullptr;
      if (iy == y.end() || (ix != x.end() && ix.key() < iy.key())) {
        key = ix.key(), vx = &ix.value(), ++ix;
      } else if (ix == x.end() || iy.key() < ix.key()) {
        key = iy.key(), vy = &iy.value(), ++iy;
      } else {
        key = ix.key(), vx = &ix.value(), vy = &iy.value(), ++ix, ++iy;
      }
      if (path.empty() && bookkeeping(key)) continue;
      diff(vx, vy, path.empty() ? key : path + "." + key, out);
    }
    return;
  }
  if (a && b && a->is_array() && b->is_array() && a->size() == b->size()) {
    for (size_t i = 0; i < a->size(); ++i) diff(&(*a)[i], &(*b)[i], path + "[" + std::to_string(i) + "]", out);
    return;
  }
  std::string before = text_of(a), after = text_of(b);
  if (before == after) return;  // e.g. absent vs "" vs null: nothing a person would call a change
  out.push_back({path, std::move(before), std::move(after)});
}

}  // namespace

std::vector<FieldChange> diff_json(const nlohmann::json& before, const nlohmann::json& after) {
  std::vector<FieldChange> out;
  diff(&before, &after, "", out);
  return out;
}

}  // namespace cl
