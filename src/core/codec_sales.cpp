// Codecs: leads, customers, opportunities with their stage history and evidence, activities.
#include "core/codec.h"
#include "core/codec_reader.h"
#include "core/json_text.h"
#include "core/version.h"

namespace cl {
using namespace codec;

json to_json_value(const Lead& l) {
  json j = json::object();
  put_meta(j, l.meta);
  j["company"] = l.company;
  j["contact_name"] = l.contact_name;
  j["phone"] = l.phone;
  j["source"] = l.source;
  j["region"] = l.region;
  j["note"] = l.note;
  j["status"] = std::string(enum_name(l.status));
  j["import_batch_id"] = l.import_batch_id;
  j["imported_at"] = l.imported_at;
  j["assigned_at"] = l.assigned_at;
  j["first_touched_at"] = l.first_touched_at;
  j["first_touched_by"] = l.first_touched_by;
  j["last_outcome"] = l.last_outcome;
  j["qualified_at"] = l.qualified_at;
  j["converted_at"] = l.converted_at;
  j["converted_customer_id"] = l.converted_customer_id;
  j["converted_opportunity_id"] = l.converted_opportunity_id;
  j["drop_reason"] = l.drop_reason;
  put_schema_version(j);
  return j;
}

json to_json_value(const Contact& c) {
  return {{"name", c.name}, {"title", c.title}, {"phone", c.phone}, {"decision_maker", c.decision_maker}};
}

json to_json_value(const OwnerChange& o) {
  return {{"from_owner", o.from_owner}, {"to_owner", o.to_owner}, {"at", o.at}, {"by", o.by}, {"reason", o.reason}};
}

// Keys in sorted order (SortedObject): the meta fields and schema_version are interleaved where they
// sort, not written by put_meta / put_schema_version.
json to_json_value(const Customer& c) {
  SortedObject o;
  o.put("address", c.address)
      .put("code", c.code)
      .put("contact_authorised", c.contact_authorised)
      .put("contacts", encode_list(c.contacts))
      .put("created_at", c.meta.created_at)
      .put("custom", c.custom)
      .put("decision_maker", c.decision_maker)
      .put("decision_maker_title", c.decision_maker_title)
      .put("deleted", c.meta.deleted)
      .put("id", c.meta.id)
      .put("main_business", c.main_business)
      .put("name", c.name)
      .put("owner_history", encode_list(c.owner_history))
      .put("owner_id", c.meta.owner_id)
      .put("phone", c.phone)
      .put("schema_version", kSchemaVersion)
      .put("source_lead_id", c.source_lead_id)
      .put("tags", c.tags)
      .put("updated_at", c.meta.updated_at)
      .put("version", c.meta.version);
  return o.take();
}

json to_json_value(const EvidenceRef& e) {
  return {{"sha256", e.sha256},         {"file_name", e.file_name}, {"mime_type", e.mime_type},
          {"size_bytes", e.size_bytes}, {"kind", e.kind},           {"uploaded_by", e.uploaded_by},
          {"uploaded_at", e.uploaded_at}};
}

json to_json_value(const StageVisit& v) {
  return {{"stage", v.stage},
          {"entered_at", v.entered_at},
          {"left_at", v.left_at},
          {"entered_by", v.entered_by},
          {"evidence", encode_list(v.evidence)},
          {"reason", v.reason},
          {"level1_sent_at", v.level1_sent_at},
          {"level2_sent_at", v.level2_sent_at},
          {"acknowledged_at", v.acknowledged_at},
          {"acknowledged_by", v.acknowledged_by}};
}

json to_json_value(const Opportunity& o) {
  json j = json::object();
  put_meta(j, o.meta);
  j["customer_id"] = o.customer_id;
  j["title"] = o.title;
  j["expected_amount_fen"] = o.expected_amount.fen;
  j["product_ids"] = o.product_ids;
  j["status"] = std::string(enum_name(o.status));
  j["close_reason"] = o.close_reason;
  j["closed_at"] = o.closed_at;
  j["stages"] = encode_list(o.stages);
  put_schema_version(j);
  return j;
}

// One field list for the tree and for the text (core/json_text.h), keys in sorted order: a sync push
// stores activities as text without building the tree (sync/mutation_support.h, store_for).
template <class Object>
void put_fields(Object& o, const Activity& a) {
  o.put("at", a.at)
      .put("created_at", a.meta.created_at)
      .put("customer_id", a.customer_id)
      .put("deleted", a.meta.deleted)
      .put("id", a.meta.id)
      .put("kind", std::string(enum_name(a.kind)))
      .put("lead_id", a.lead_id)
      .put("opportunity_id", a.opportunity_id)
      .put("outcome", a.outcome)
      .put("owner_id", a.meta.owner_id)
      .put("schema_version", kSchemaVersion)
      .put("summary", a.summary)
      .put("updated_at", a.meta.updated_at)
      .put("version", a.meta.version);
}

json to_json_value(const Activity& a) {
  SortedObject o;
  put_fields(o, a);
  return o.take();
}

std::string to_json_text(const Activity& a) {
  JsonTextObject o;
  put_fields(o, a);
  return o.take();
}

namespace codec {

void read_fields(Reader& r, Lead& l) {
  read_fields(r, l.meta);
  r.text("company", l.company);
  r.text("contact_name", l.contact_name);
  r.text("phone", l.phone);
  r.text("source", l.source);
  r.text("region", l.region);
  r.text("note", l.note);
  r.enumeration("status", l.status);
  r.text("import_batch_id", l.import_batch_id);
  r.integer("imported_at", l.imported_at);
  r.integer("assigned_at", l.assigned_at);
  r.integer("first_touched_at", l.first_touched_at);
  r.text("first_touched_by", l.first_touched_by);
  r.text("last_outcome", l.last_outcome);
  r.integer("qualified_at", l.qualified_at);
  r.integer("converted_at", l.converted_at);
  r.text("converted_customer_id", l.converted_customer_id);
  r.text("converted_opportunity_id", l.converted_opportunity_id);
  r.text("drop_reason", l.drop_reason);
}

void read_fields(Reader& r, Contact& c) {
  r.text("name", c.name);
  r.text("title", c.title);
  r.text("phone", c.phone);
  r.flag("decision_maker", c.decision_maker);
}

void read_fields(Reader& r, OwnerChange& o) {
  r.text("from_owner", o.from_owner);
  r.text("to_owner", o.to_owner);
  r.integer("at", o.at);
  r.text("by", o.by);
  r.text("reason", o.reason);
}

void read_fields(Reader& r, Customer& c) {
  read_fields(r, c.meta);
  r.text("code", c.code);
  r.text("name", c.name);
  r.text("decision_maker", c.decision_maker);
  r.text("decision_maker_title", c.decision_maker_title);
  r.text("phone", c.phone);
  r.text("main_business", c.main_business);
  r.text("address", c.address);
  r.list("contacts", c.contacts);
  r.text_map("tags", c.tags);
  r.text_map("custom", c.custom);
  r.flag("contact_authorised", c.contact_authorised);
  r.text("source_lead_id", c.source_lead_id);
  r.list("owner_history", c.owner_history);
}

void read_fields(Reader& r, EvidenceRef& e) {
  r.text("sha256", e.sha256, true);
  r.text("file_name", e.file_name);
  r.text("mime_type", e.mime_type);
  r.integer("size_bytes", e.size_bytes);
  r.text("kind", e.kind);
  r.text("uploaded_by", e.uploaded_by);
  r.integer("uploaded_at", e.uploaded_at);
}

void read_fields(Reader& r, StageVisit& v) {
  r.integer("stage", v.stage);
  r.integer("entered_at", v.entered_at);
  r.integer("left_at", v.left_at);
  r.text("entered_by", v.entered_by);
  r.list("evidence", v.evidence);
  r.text("reason", v.reason);
  r.integer("level1_sent_at", v.level1_sent_at);
  r.integer("level2_sent_at", v.level2_sent_at);
  r.integer("acknowledged_at", v.acknowledged_at);
  r.text("acknowledged_by", v.acknowledged_by);
}

void read_fields(Reader& r, Opportunity& o) {
  read_fields(r, o.meta);
  r.text("customer_id", o.customer_id);
  r.text("title", o.title);
  r.money("expected_amount_fen", o.expected_amount);
  r.texts("product_ids", o.product_ids);
  r.enumeration("status", o.status);
  r.text("close_reason", o.close_reason);
  r.integer("closed_at", o.closed_at);
  r.list("stages", o.stages);
}

void read_fields(Reader& r, Activity& a) {
  read_fields(r, a.meta);
  r.enumeration("kind", a.kind);
  r.integer("at", a.at);
  r.text("customer_id", a.customer_id);
  r.text("opportunity_id", a.opportunity_id);
  r.text("lead_id", a.lead_id);
  r.text("summary", a.summary);
  r.text("outcome", a.outcome);
}

}  // namespace codec
}  // namespace cl
