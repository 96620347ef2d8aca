// Codecs: reminders, share scopes, audit events, problems — and the generic decode entry points.
#include "core/codec.h"
#include "core/codec_reader.h"

#include <exception>

namespace cl {
using namespace codec;

json to_json_value(const Reminder& m) {
  json j = {{"id", m.id},
            {"kind", std::string(enum_name(m.kind))},
            {"recipient_id", m.recipient_id},
            {"subject_type", m.subject_type},
            {"subject_id", m.subject_id},
            {"due_at", m.due_at},
            {"dedupe_key", m.dedupe_key},
            {"text_zh", m.text_zh},
            {"text_en", m.text_en},
            {"acknowledged_at", m.acknowledged_at},
            {"acknowledged_by", m.acknowledged_by}};
  put_schema_version(j);
  return j;
}

json to_json_value(const ShareScope& s) {
  json j = {{"id", s.id},
            {"created_by", s.created_by},
            {"team_id", s.team_id},
            {"region", s.region},
            {"created_at", s.created_at},
            {"expires_at", s.expires_at},
            {"revoked_at", s.revoked_at},
            {"label", s.label}};
  put_schema_version(j);
  return j;
}

json to_json_value(const FieldChange& c) { return {{"field", c.field}, {"before", c.before}, {"after", c.after}}; }

json to_json_value(const AuditEvent& e) {
  json j = {{"id", e.id},
            {"at", e.at},
            {"actor_id", e.actor_id},
            {"entity_type", e.entity_type},
            {"entity_id", e.entity_id},
            {"action", e.action},
            {"changes", encode_list(e.changes)},
            {"evidence_sha256", e.evidence_sha256}};
  put_schema_version(j);
  return j;
}

json to_json_value(const Problem& p) {
  return {{"code", p.code}, {"field", p.field}, {"message_zh", p.message_zh}, {"message_en", p.message_en}};
}

json problems_to_json(const Problems& problems) { return encode_list(problems); }

namespace codec {

void read_fields(Reader& r, Reminder& m) {
  r.required_id(m.id);
  r.enumeration("kind", m.kind);
  r.text("recipient_id", m.recipient_id);
  r.text("subject_type", m.subject_type);
  r.text("subject_id", m.subject_id);
  r.integer("due_at", m.due_at);
  r.text("dedupe_key", m.dedupe_key);
  r.text("text_zh", m.text_zh);
  r.text("text_en", m.text_en);
  r.integer("acknowledged_at", m.acknowledged_at);
  r.text("acknowledged_by", m.acknowledged_by);
}

void read_fields(Reader& r, ShareScope& s) {
  r.required_id(s.id);
  r.text("created_by", s.created_by);
  r.text("team_id", s.team_id);
  r.text("region", s.region);
  r.integer("created_at", s.created_at);
  r.integer("expires_at", s.expires_at);
  r.integer("revoked_at", s.revoked_at);
  r.text("label", s.label);
}

void read_fields(Reader& r, FieldChange& c) {
  r.text("field", c.field, true);
  r.text("before", c.before);
  r.text("after", c.after);
}

void read_fields(Reader& r, AuditEvent& e) {
  r.required_id(e.id);
  r.integer("at", e.at);
  r.text("actor_id", e.actor_id);
  r.text("entity_type", e.entity_type);
  r.text("entity_id", e.entity_id);
  r.text("action", e.action);
  r.list("changes", e.changes);
  r.texts("evidence_sha256", e.evidence_sha256);
}

void read_fields(Reader& r, Problem& p) {
  r.text("code", p.code, true);
  r.text("field", p.field);
  r.text("message_zh", p.message_zh);
  r.text("message_en", p.message_en);
}

// Records that travel on their own carry schema_version; parts (lines, visits…) travel inside them.
template <class T> constexpr bool kTopLevel = false;
template <> constexpr bool kTopLevel<User> = true;
template <> constexpr bool kTopLevel<Team> = true;
template <> constexpr bool kTopLevel<Settings> = true;
template <> constexpr bool kTopLevel<Lead> = true;
template <> constexpr bool kTopLevel<Customer> = true;
template <> constexpr bool kTopLevel<Opportunity> = true;
template <> constexpr bool kTopLevel<Activity> = true;
template <> constexpr bool kTopLevel<Product> = true;
template <> constexpr bool kTopLevel<PriceList> = true;
template <> constexpr bool kTopLevel<Quote> = true;
template <> constexpr bool kTopLevel<Contract> = true;
template <> constexpr bool kTopLevel<Invoice> = true;
template <> constexpr bool kTopLevel<Payment> = true;
template <> constexpr bool kTopLevel<CollectionTarget> = true;
template <> constexpr bool kTopLevel<Reminder> = true;
template <> constexpr bool kTopLevel<ShareScope> = true;
template <> constexpr bool kTopLevel<AuditEvent> = true;

template <class T>
void decode_into(const json& j, T& value, Problems& problems, const std::string& prefix) {
  // The readers check types before every get<>, so nothing below should throw; the catch is the
  // promise that nothing crosses the module edge even if a future field forgets to.
  try {
    if (!j.is_object()) {
      std::string where = prefix.empty() ? "" : prefix.substr(0, prefix.size() - 1);
      problems.push_back({"invalid_type", where, "内容类型错误，应为 JSON 对象", "Expected a JSON object"});
      return;
    }
    Reader r(j, problems, prefix);
    if constexpr (kTopLevel<T>) check_schema_version(r);
    read_fields(r, value);
  } catch (const std::exception& e) {
    problems.push_back({"invalid_json", prefix, "无法解析内容", std::string("Could not decode: ") + e.what()});
  }
}

}  // namespace codec

#define CL_CODEC_DEFINE(T)                                                                   \
  template <>                                                                                \
  Result<T> decode<T>(const json& j) {                                                       \
    Result<T> r;                                                                             \
    codec::decode_into(j, r.value, r.problems, "");                                          \
    if (!r.problems.empty()) r.value = T{};                                                  \
    return r;                                                                                \
  }                                                                                          \
  template <>                                                                                \
  Result<std::vector<T>> decode_list<T>(const json& j) {                                     \
    Result<std::vector<T>> r;                                                                \
    if (!j.is_array()) {                                                                     \
      r.problems.push_back({"invalid_type", "", "内容类型错误，应为数组", "Expected a JSON array"}); \
      return r;                                                                              \
    }                                                                                        \
    r.value.resize(j.size());                                                                \
    for (size_t i = 0; i < j.size(); ++i)                                                    \
      codec::decode_into(j[i], r.value[i], r.problems, "[" + std::to_string(i) + "].");     \
    if (!r.problems.empty()) r.value.clear();                                                \
    return r;                                                                                \
  }

template <>
Problems decode_over<Customer>(json changes, Customer& value) {
  if (!changes.is_object())
    return {{"invalid_type", "", "内容类型错误，应为 JSON 对象", "Expected a JSON object"}};
  // The readers leave a field alone for a null; decoding the patched record gives it the default.
  static const json kDefaults = to_json_value(Customer{});
  for (auto& [key, v] : changes.items())
    if (v.is_null() && kDefaults.contains(key)) v = kDefaults[key];
  if (!changes.contains("id")) changes["id"] = value.meta.id;  // required, as in decode
  Problems problems;
  try {
    codec::Reader r(changes, problems, "");
    codec::read_fields(r, value);
  } catch (const std::exception& e) {
    problems.push_back({"invalid_json", "", "无法解析内容", std::string("Could not decode: ") + e.what()});
  }
  return problems;
}

CL_CODEC_DEFINE(User)
CL_CODEC_DEFINE(Team)
CL_CODEC_DEFINE(TagGroup)
CL_CODEC_DEFINE(StageDef)
CL_CODEC_DEFINE(MessageTemplate)
CL_CODEC_DEFINE(Settings)
CL_CODEC_DEFINE(Lead)
CL_CODEC_DEFINE(Contact)
CL_CODEC_DEFINE(OwnerChange)
CL_CODEC_DEFINE(Customer)
CL_CODEC_DEFINE(EvidenceRef)
CL_CODEC_DEFINE(StageVisit)
CL_CODEC_DEFINE(Opportunity)
CL_CODEC_DEFINE(Activity)
CL_CODEC_DEFINE(Product)
CL_CODEC_DEFINE(PriceItem)
CL_CODEC_DEFINE(PriceList)
CL_CODEC_DEFINE(QuoteLine)
CL_CODEC_DEFINE(Quote)
CL_CODEC_DEFINE(Contract)
CL_CODEC_DEFINE(Invoice)
CL_CODEC_DEFINE(Payment)
CL_CODEC_DEFINE(CollectionTarget)
CL_CODEC_DEFINE(Reminder)
CL_CODEC_DEFINE(ShareScope)
CL_CODEC_DEFINE(FieldChange)
CL_CODEC_DEFINE(AuditEvent)
CL_CODEC_DEFINE(Problem)
#undef CL_CODEC_DEFINE

}  // namespace cl
