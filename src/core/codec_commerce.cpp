// Codecs: products, price lists, quotes, contracts, invoices, payments, collection targets.
#include "core/codec.h"
#include "core/codec_reader.h"

namespace cl {
using namespace codec;

json to_json_value(const Product& p) {
  json j = {{"id", p.id},
            {"model_code", p.model_code},
            {"name", p.name},
            {"category", p.category},
            {"usage_cycle_months", p.usage_cycle_months},
            {"replacement_model_code", p.replacement_model_code},
            {"active", p.active}};
  put_schema_version(j);
  return j;
}

json to_json_value(const PriceItem& i) { return {{"product_id", i.product_id}, {"list_price_fen", i.list_price.fen}}; }

json to_json_value(const PriceList& p) {
  json j = {{"id", p.id},
            {"name", p.name},
            {"valid_from", date_value(p.valid_from)},
            {"valid_to", date_value(p.valid_to)},
            {"items", encode_list(p.items)}};
  put_schema_version(j);
  return j;
}

json to_json_value(const QuoteLine& l) {
  return {{"product_id", l.product_id},
          {"model_code", l.model_code},
          {"product_name", l.product_name},
          {"quantity", l.quantity},
          {"unit_list_price_fen", l.unit_list_price.fen},
          {"discount_bp", l.discount_bp}};
}

json to_json_value(const Quote& q) {
  json j = json::object();
  put_meta(j, q.meta);
  j["code"] = q.code;
  j["customer_id"] = q.customer_id;
  j["opportunity_id"] = q.opportunity_id;
  j["price_list_id"] = q.price_list_id;
  j["quote_date"] = date_value(q.quote_date);
  j["valid_until"] = date_value(q.valid_until);
  j["lines"] = encode_list(q.lines);
  j["status"] = std::string(enum_name(q.status));
  j["approved_by"] = q.approved_by;
  j["approved_at"] = q.approved_at;
  j["approval_note"] = q.approval_note;
  j["based_on_quote_id"] = q.based_on_quote_id;
  put_schema_version(j);
  return j;
}

json to_json_value(const Contract& c) {
  json j = json::object();
  put_meta(j, c.meta);
  j["code"] = c.code;
  j["quote_id"] = c.quote_id;
  j["customer_id"] = c.customer_id;
  j["opportunity_id"] = c.opportunity_id;
  j["lines"] = encode_list(c.lines);
  j["amount_fen"] = c.amount.fen;
  j["status"] = std::string(enum_name(c.status));
  j["signed_on"] = date_value(c.signed_on);
  put_schema_version(j);
  return j;
}

json to_json_value(const Invoice& i) {
  json j = json::object();
  put_meta(j, i.meta);
  j["code"] = i.code;
  j["contract_id"] = i.contract_id;
  j["customer_id"] = i.customer_id;
  j["amount_fen"] = i.amount.fen;
  j["status"] = std::string(enum_name(i.status));
  j["requested_on"] = date_value(i.requested_on);
  j["issued_on"] = date_value(i.issued_on);
  j["due_on"] = date_value(i.due_on);
  put_schema_version(j);
  return j;
}

json to_json_value(const Payment& p) {
  json j = json::object();
  put_meta(j, p.meta);
  j["invoice_id"] = p.invoice_id;
  j["customer_id"] = p.customer_id;
  j["amount_fen"] = p.amount.fen;
  j["received_on"] = date_value(p.received_on);
  j["method"] = p.method;
  j["reference"] = p.reference;
  put_schema_version(j);
  return j;
}

json to_json_value(const CollectionTarget& t) {
  json j = {{"id", t.id}, {"month", t.month}, {"rep_id", t.rep_id}, {"team_id", t.team_id}, {"amount_fen", t.amount.fen}};
  put_schema_version(j);
  return j;
}

namespace codec {

void read_fields(Reader& r, Product& p) {
  r.required_id(p.id);
  r.text("model_code", p.model_code);
  r.text("name", p.name);
  r.text("category", p.category);
  r.integer("usage_cycle_months", p.usage_cycle_months);
  r.text("replacement_model_code", p.replacement_model_code);
  r.flag("active", p.active);
}

void read_fields(Reader& r, PriceItem& i) {
  r.text("product_id", i.product_id, true);
  r.money("list_price_fen", i.list_price);
}

void read_fields(Reader& r, PriceList& p) {
  r.required_id(p.id);
  r.text("name", p.name);
  r.date("valid_from", p.valid_from);
  r.date("valid_to", p.valid_to);
  r.list("items", p.items);
}

void read_fields(Reader& r, QuoteLine& l) {
  r.text("product_id", l.product_id);
  r.text("model_code", l.model_code);
  r.text("product_name", l.product_name);
  r.integer("quantity", l.quantity);
  r.money("unit_list_price_fen", l.unit_list_price);
  r.integer("discount_bp", l.discount_bp);
}

void read_fields(Reader& r, Quote& q) {
  read_fields(r, q.meta);
  r.text("code", q.code);
  r.text("customer_id", q.customer_id);
  r.text("opportunity_id", q.opportunity_id);
  r.text("price_list_id", q.price_list_id);
  r.date("quote_date", q.quote_date);
  r.date("valid_until", q.valid_until);
  r.list("lines", q.lines);
  r.enumeration("status", q.status);
  r.text("approved_by", q.approved_by);
  r.integer("approved_at", q.approved_at);
  r.text("approval_note", q.approval_note);
  r.text("based_on_quote_id", q.based_on_quote_id);
}

void read_fields(Reader& r, Contract& c) {
  read_fields(r, c.meta);
  r.text("code", c.code);
  r.text("quote_id", c.quote_id);
  r.text("customer_id", c.customer_id);
  r.text("opportunity_id", c.opportunity_id);
  r.list("lines", c.lines);
  r.money("amount_fen", c.amount);
  r.enumeration("status", c.status);
  r.date("signed_on", c.signed_on);
}

void read_fields(Reader& r, Invoice& i) {
  read_fields(r, i.meta);
  r.text("code", i.code);
  r.text("contract_id", i.contract_id);
  r.text("customer_id", i.customer_id);
  r.money("amount_fen", i.amount);
  r.enumeration("status", i.status);
  r.date("requested_on", i.requested_on);
  r.date("issued_on", i.issued_on);
  r.date("due_on", i.due_on);
}

void read_fields(Reader& r, Payment& p) {
  read_fields(r, p.meta);
  r.text("invoice_id", p.invoice_id);
  r.text("customer_id", p.customer_id);
  r.money("amount_fen", p.amount);
  r.date("received_on", p.received_on);
  r.text("method", p.method);
  r.text("reference", p.reference);
}

void read_fields(Reader& r, CollectionTarget& t) {
  r.required_id(t.id);
  r.text("month", t.month);
  r.text("rep_id", t.rep_id);
  r.text("team_id", t.team_id);
  r.money("amount_fen", t.amount);
}

}  // namespace codec
}  // namespace cl
