// Codecs: users, teams and the admin settings (tag groups, stages, templates).
#include "core/codec.h"
#include "core/codec_reader.h"

namespace cl {
using namespace codec;

json to_json_value(const RecordMeta& m) {
  json j = json::object();
  put_meta(j, m);
  return j;
}

json to_json_value(const User& u) {
  json j = {{"id", u.id},           {"username", u.username}, {"display_name", u.display_name},
            {"role", std::string(enum_name(u.role))}, {"team_id", u.team_id},   {"phone", u.phone},
            {"email", u.email},     {"active", u.active}};
  put_schema_version(j);
  return j;
}

json to_json_value(const Team& t) {
  json j = {{"id", t.id}, {"name", t.name}, {"region", t.region}, {"manager_id", t.manager_id}};
  put_schema_version(j);
  return j;
}

json to_json_value(const TagGroup& g) {
  return {{"key", g.key}, {"name_zh", g.name_zh}, {"name_en", g.name_en}, {"values", g.values}, {"required", g.required}};
}

json to_json_value(const StageDef& s) {
  return {{"key", s.key},
          {"name_zh", s.name_zh},
          {"name_en", s.name_en},
          {"evidence_kinds", s.evidence_kinds},
          {"stall_hours", s.stall_hours}};
}

json to_json_value(const MessageTemplate& t) {
  return {{"key", t.key}, {"name_zh", t.name_zh}, {"name_en", t.name_en}, {"body", t.body}};
}

json to_json_value(const Settings& s) {
  json j = {{"required_customer_fields", s.required_customer_fields},
            {"tag_groups", encode_list(s.tag_groups)},
            {"stages", encode_list(s.stages)},
            {"templates", encode_list(s.templates)},
            {"escalation_hours", s.escalation_hours},
            {"untouched_lead_hours", s.untouched_lead_hours},
            {"fake_talk_days", s.fake_talk_days},
            {"no_reply_hours", s.no_reply_hours},
            {"repurchase_lead_days", s.repurchase_lead_days},
            {"discount_approval_bp", s.discount_approval_bp},
            {"quote_validity_days", s.quote_validity_days},
            {"invoice_due_days", s.invoice_due_days},
            {"dormant_days", s.dormant_days}};
  put_schema_version(j);
  return j;
}

namespace codec {

void read_fields(Reader& r, User& u) {
  r.required_id(u.id);
  r.text("username", u.username);
  r.text("display_name", u.display_name);
  r.enumeration("role", u.role);
  r.text("team_id", u.team_id);
  r.text("phone", u.phone);
  r.text("email", u.email);
  r.flag("active", u.active);
}

void read_fields(Reader& r, Team& t) {
  r.required_id(t.id);
  r.text("name", t.name);
  r.text("region", t.region);
  r.text("manager_id", t.manager_id);
}

void read_fields(Reader& r, TagGroup& g) {
  r.text("key", g.key, true);
  r.text("name_zh", g.name_zh);
  r.text("name_en", g.name_en);
  r.texts("values", g.values);
  r.flag("required", g.required);
}

void read_fields(Reader& r, StageDef& s) {
  r.text("key", s.key, true);
  r.text("name_zh", s.name_zh);
  r.text("name_en", s.name_en);
  r.texts("evidence_kinds", s.evidence_kinds);
  r.integer("stall_hours", s.stall_hours);
}

void read_fields(Reader& r, MessageTemplate& t) {
  r.text("key", t.key, true);
  r.text("name_zh", t.name_zh);
  r.text("name_en", t.name_en);
  r.text("body", t.body);
}

void read_fields(Reader& r, Settings& s) {
  r.texts("required_customer_fields", s.required_customer_fields);
  r.list("tag_groups", s.tag_groups);
  r.list("stages", s.stages);
  r.list("templates", s.templates);
  r.integer("escalation_hours", s.escalation_hours);
  r.integer("untouched_lead_hours", s.untouched_lead_hours);
  r.integer("fake_talk_days", s.fake_talk_days);
  r.integer("no_reply_hours", s.no_reply_hours);
  r.integer("repurchase_lead_days", s.repurchase_lead_days);
  r.integer("discount_approval_bp", s.discount_approval_bp);
  r.integer("quote_validity_days", s.quote_validity_days);
  r.integer("invoice_due_days", s.invoice_due_days);
  r.integer("dormant_days", s.dormant_days);
}

}  // namespace codec
}  // namespace cl
