#include "app/vm/pull_page.h"

#include <limits>
#include <utility>

#include "app/vm/replica_codec.h"
#include "core/enum_names.h"
#include "core/version.h"

namespace cl::app {
namespace {

using Json = sync::Json;

// ---- reference path ---------------------------------------------------------------------------

// sync::change_from_json copies the record out of the parsed page; taking it out of the element
// first and moving it in afterwards skips that deep copy. Same checks, same result.
Result<sync::Change> take_change(Json& element) {
  Json record;
  bool moved = false;
  if (element.is_object()) {
    auto it = element.find("record");
    if (it != element.end() && it->is_object()) {
      record = std::move(*it);
      *it = Json::object();
      moved = true;
    }
  }
  auto ch = sync::change_from_json(element);
  if (ch.ok() && moved) ch.value.record = std::move(record);
  return ch;
}

PulledChange pulled(sync::Change&& c) {
  PulledChange p;
  p.type = std::move(c.type);
  p.id = std::move(c.id);
  p.deleted = c.deleted;
  p.version = c.version;
  p.record = std::move(c.record);
  return p;
}

// ---- fast path: a SAX handler that declines (returns false) on anything it does not fully know ----

// Where a scalar or container event lands.
enum class Slot {
  None,
  // record members (RecordMeta, schema_version, Customer, Activity)
  Id, OwnerId, CreatedAt, UpdatedAt, Version, Deleted, SchemaVersion,
  Code, Name, DecisionMaker, DecisionMakerTitle, Phone, MainBusiness, Address, Contacts, Tags, Custom,
  ContactAuthorised, SourceLeadId, OwnerHistory,
  Kind, At, CustomerId, OpportunityId, LeadId, Summary, Outcome,
  // Contact
  ContactName, ContactTitle, ContactPhone, ContactDecisionMaker,
  // OwnerChange
  OcFrom, OcTo, OcAt, OcBy, OcReason,
  // change members
  ChType, ChId, ChDeleted, ChVersion, ChRecord,
  Count
};

struct KeyName { std::string_view name; Slot slot; };

constexpr KeyName kRecordKeys[] = {
    {"id", Slot::Id}, {"owner_id", Slot::OwnerId}, {"created_at", Slot::CreatedAt}, {"updated_at", Slot::UpdatedAt},
    {"version", Slot::Version}, {"deleted", Slot::Deleted}, {"schema_version", Slot::SchemaVersion},
    {"code", Slot::Code}, {"name", Slot::Name}, {"decision_maker", Slot::DecisionMaker},
    {"decision_maker_title", Slot::DecisionMakerTitle}, {"phone", Slot::Phone}, {"main_business", Slot::MainBusiness},
    {"address", Slot::Address}, {"contacts", Slot::Contacts}, {"tags", Slot::Tags}, {"custom", Slot::Custom},
    {"contact_authorised", Slot::ContactAuthorised}, {"source_lead_id", Slot::SourceLeadId},
    {"owner_history", Slot::OwnerHistory},
    {"kind", Slot::Kind}, {"at", Slot::At}, {"customer_id", Slot::CustomerId}, {"opportunity_id", Slot::OpportunityId},
    {"lead_id", Slot::LeadId}, {"summary", Slot::Summary}, {"outcome", Slot::Outcome}};
constexpr KeyName kContactKeys[] = {{"name", Slot::ContactName}, {"title", Slot::ContactTitle},
                                    {"phone", Slot::ContactPhone}, {"decision_maker", Slot::ContactDecisionMaker}};
constexpr KeyName kOwnerChangeKeys[] = {{"from_owner", Slot::OcFrom}, {"to_owner", Slot::OcTo}, {"at", Slot::OcAt},
                                        {"by", Slot::OcBy}, {"reason", Slot::OcReason}};
constexpr KeyName kChangeKeys[] = {{"type", Slot::ChType}, {"id", Slot::ChId}, {"deleted", Slot::ChDeleted},
                                   {"version", Slot::ChVersion}, {"record", Slot::ChRecord}};

template <std::size_t N>
Slot slot_of(const KeyName (&keys)[N], std::string_view k) {
  for (const auto& e : keys)
    if (e.name == k) return e.slot;
  return Slot::None;
}

// The containers the handler can be inside.
enum class Ctx { Top, Changes, Change, Record, Contacts, Contact, OwnerHistory, OwnerChange, Tags, Custom };

class FastPage {
 public:
  // pull page: top-level object; stored page: top-level array of changes.
  explicit FastPage(bool stored) : stored_(stored) {}

  std::vector<PulledChange> changes;
  Json rest = Json::object();   // the page's other members
  bool saw_changes = false;

  // --- SAX interface (nlohmann::json_sax) ---
  bool null() {
    if (capturing()) return capture(Json(nullptr));
    if (skip_depth_ > 0) return true;
    if (skip_next_) { skip_next_ = false; return true; }
    // null = absent (codec Reader / JsonReader). Required members are checked at the object's end.
    if (pending_ == Slot::None) return false;
    pending_ = Slot::None;
    return true;
  }
  bool boolean(bool v) {
    if (capturing()) return capture(Json(v));
    if (skip_depth_ > 0) return true;
    if (skip_next_) { skip_next_ = false; return true; }
    const Slot s = take_pending();
    switch (s) {
      case Slot::Deleted: meta_.deleted = v; return true;
      case Slot::ContactAuthorised: customer_.contact_authorised = v; return true;
      case Slot::ContactDecisionMaker: customer_.contacts.back().decision_maker = v; return true;
      case Slot::ChDeleted: change_.deleted = v; return true;
      default: return false;
    }
  }
  bool number_integer(std::int64_t v) {
    if (capturing()) return capture(Json(v));
    if (skip_depth_ > 0) return true;
    if (skip_next_) { skip_next_ = false; return true; }
    return integer(take_pending(), v);
  }
  bool number_unsigned(std::uint64_t v) {
    if (capturing()) return capture(Json(v));
    if (skip_depth_ > 0) return true;
    if (skip_next_) { skip_next_ = false; return true; }
    if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return false;
    return integer(take_pending(), static_cast<std::int64_t>(v));
  }
  bool number_float(double v, const std::string&) {
    if (capturing()) return capture(Json(v));
    if (skip_depth_ > 0) return true;
    if (skip_next_) { skip_next_ = false; return true; }
    return false;   // no member the fast path decodes is a float
  }
  bool binary(Json::binary_t&) { return false; }
  bool string(std::string& v) {
    if (capturing()) return capture(Json(v));
    if (skip_depth_ > 0) return true;
    if (skip_next_) { skip_next_ = false; return true; }
    if (ctx() == Ctx::Tags || ctx() == Ctx::Custom) {
      auto& m = ctx() == Ctx::Tags ? customer_.tags : customer_.custom;
      m[map_key_] = std::move(v);   // duplicate keys: the last one wins, as in the DOM
      return true;
    }
    const Slot s = take_pending();
    switch (s) {
      case Slot::Id: if (v.empty()) return false; meta_.id = std::move(v); return true;
      case Slot::OwnerId: meta_.owner_id = std::move(v); return true;
      case Slot::Code: customer_.code = std::move(v); return true;
      case Slot::Name: customer_.name = std::move(v); return true;
      case Slot::DecisionMaker: customer_.decision_maker = std::move(v); return true;
      case Slot::DecisionMakerTitle: customer_.decision_maker_title = std::move(v); return true;
      case Slot::Phone: customer_.phone = std::move(v); return true;
      case Slot::MainBusiness: customer_.main_business = std::move(v); return true;
      case Slot::Address: customer_.address = std::move(v); return true;
      case Slot::SourceLeadId: customer_.source_lead_id = std::move(v); return true;
      case Slot::Kind: {
        auto k = parse_enum<ActivityKind>(v);
        if (k) activity_.kind = *k;
        else kind_bad_ = true;   // only an activity is refused for it (a customer ignores "kind")
        return true;
      }
      case Slot::CustomerId: activity_.customer_id = std::move(v); return true;
      case Slot::OpportunityId: activity_.opportunity_id = std::move(v); return true;
      case Slot::LeadId: activity_.lead_id = std::move(v); return true;
      case Slot::Summary: activity_.summary = std::move(v); return true;
      case Slot::Outcome: activity_.outcome = std::move(v); return true;
      case Slot::ContactName: customer_.contacts.back().name = std::move(v); return true;
      case Slot::ContactTitle: customer_.contacts.back().title = std::move(v); return true;
      case Slot::ContactPhone: customer_.contacts.back().phone = std::move(v); return true;
      case Slot::OcFrom: customer_.owner_history.back().from_owner = std::move(v); return true;
      case Slot::OcTo: customer_.owner_history.back().to_owner = std::move(v); return true;
      case Slot::OcBy: customer_.owner_history.back().by = std::move(v); return true;
      case Slot::OcReason: customer_.owner_history.back().reason = std::move(v); return true;
      case Slot::ChType: change_.type = std::move(v); seen_type_ = true; return true;
      case Slot::ChId: change_.id = std::move(v); seen_id_ = true; return true;
      default: return false;
    }
  }
  // What opening any container does while a value is being captured or skipped; true when that
  // decided it (`ok` holds the answer), false when the caller's own context decides.
  bool open_captured_or_skipped(Json empty, bool& ok) {
    ok = true;
    if (capturing()) ok = capture_open(std::move(empty));
    else if (skip_depth_ > 0) ++skip_depth_;
    else if (skip_next_) { skip_next_ = false; skip_depth_ = 1; }
    else return false;
    return true;
  }
  bool start_object(std::size_t) {
    if (bool ok; open_captured_or_skipped(Json::object(), ok)) return ok;
    if (stack_.empty()) {
      if (stored_) return false;
      push(Ctx::Top);
      return true;
    }
    switch (ctx()) {
      case Ctx::Changes: begin_change(); push(Ctx::Change); return true;
      case Ctx::Contacts: customer_.contacts.emplace_back(); push(Ctx::Contact); return true;
      case Ctx::OwnerHistory: customer_.owner_history.emplace_back(); push(Ctx::OwnerChange); return true;
      default: break;
    }
    switch (take_pending()) {
      case Slot::ChRecord: seen_record_ = true; push(Ctx::Record); return true;
      case Slot::Tags: customer_.tags.clear(); push(Ctx::Tags); return true;
      case Slot::Custom: customer_.custom.clear(); push(Ctx::Custom); return true;
      default: return false;
    }
  }
  bool start_array(std::size_t) {
    if (bool ok; open_captured_or_skipped(Json::array(), ok)) return ok;
    if (stack_.empty()) {
      if (!stored_) return false;
      push(Ctx::Changes);
      return true;
    }
    if (ctx() == Ctx::Top && top_changes_pending_) {
      top_changes_pending_ = false;
      push(Ctx::Changes);
      return true;
    }
    switch (take_pending()) {
      case Slot::Contacts: customer_.contacts.clear(); push(Ctx::Contacts); return true;
      case Slot::OwnerHistory: customer_.owner_history.clear(); push(Ctx::OwnerHistory); return true;
      default: return false;
    }
  }
  bool key(std::string& k) {
    if (capturing()) { capture_key_ = std::move(k); return true; }
    if (skip_depth_ > 0) return true;
    switch (ctx()) {
      case Ctx::Top:
        if (k == "changes") {
          if (saw_changes) return false;
          saw_changes = true;
          top_changes_pending_ = true;
          return true;
        }
        // Collected as JSON for sync::pull_response_from_json (a repeated key: the last wins).
        capture_name_ = std::move(k);
        capture_stack_.clear();
        capture_root_ = Json();
        capture_armed_ = true;
        return true;
      case Ctx::Change: return member(kChangeKeys, k, change_seen_);
      case Ctx::Record: return member(kRecordKeys, k, record_seen_);
      case Ctx::Contact: return member(kContactKeys, k, item_seen_);
      case Ctx::OwnerChange: return member(kOwnerChangeKeys, k, item_seen_);
      case Ctx::Tags:
      case Ctx::Custom: map_key_ = std::move(k); return true;
      default: return false;
    }
  }
  bool end_object() {
    if (capturing()) return capture_close();
    if (skip_depth_ > 0) { --skip_depth_; return true; }
    if (pending_ != Slot::None) return false;
    switch (ctx()) {
      case Ctx::Top: pop(); return saw_changes;
      case Ctx::Change: pop(); return end_change();
      case Ctx::Record: pop(); return true;
      case Ctx::Contact:
      case Ctx::OwnerChange: item_seen_ = 0; pop(); return true;
      case Ctx::Tags:
      case Ctx::Custom: pop(); return true;
      default: return false;
    }
  }
  bool end_array() {
    if (capturing()) return capture_close();
    if (skip_depth_ > 0) { --skip_depth_; return true; }
    switch (ctx()) {
      case Ctx::Changes:
      case Ctx::Contacts:
      case Ctx::OwnerHistory: pop(); return true;
      default: return false;
    }
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) { return false; }

 private:
  Ctx ctx() const { return stack_.back(); }
  void push(Ctx c) { stack_.push_back(c); }
  void pop() { stack_.pop_back(); }
  Slot take_pending() {
    const Slot s = pending_;
    pending_ = Slot::None;
    return s;
  }

  // A member of an object the fast path knows: its slot, or skip an unknown member's value.
  // A member repeated in one object declines (the DOM keeps only the last; not worth mirroring).
  template <std::size_t N>
  bool member(const KeyName (&keys)[N], std::string_view k, std::uint64_t& seen) {
    const Slot s = slot_of(keys, k);
    if (s == Slot::None) { skip_next_ = true; return true; }
    const std::uint64_t bit = std::uint64_t{1} << static_cast<unsigned>(s);
    if (seen & bit) return false;
    seen |= bit;
    pending_ = s;
    return true;
  }

  bool integer(Slot s, std::int64_t v) {
    switch (s) {
      case Slot::CreatedAt: meta_.created_at = v; return true;
      case Slot::UpdatedAt: meta_.updated_at = v; return true;
      case Slot::Version: meta_.version = v; return true;
      case Slot::SchemaVersion: return v >= 1 && v <= kSchemaVersion;   // check_schema_version
      case Slot::At: activity_.at = v; return true;
      case Slot::OcAt: customer_.owner_history.back().at = v; return true;
      case Slot::ChVersion: change_.version = v; return true;
      default: return false;
    }
  }

  void begin_change() {
    change_ = PulledChange{};
    meta_ = RecordMeta{};
    customer_ = Customer{};
    activity_ = Activity{};
    change_seen_ = record_seen_ = 0;
    seen_type_ = seen_id_ = seen_record_ = kind_bad_ = false;
  }

  bool end_change() {
    if (!seen_type_ || !seen_id_) return false;   // required by sync::change_from_json
    RecordKind kind;
    const bool known = parse_record_kind(change_.type, kind);
    if (known && !change_.deleted) {
      // An upsert: the record must be one the fast path decodes completely, with its id.
      if (!seen_record_ || meta_.id.empty()) return false;
      if (kind == RecordKind::Customer) {
        customer_.meta = std::move(meta_);
        change_.record = std::move(customer_);
      } else if (kind == RecordKind::Activity) {
        if (kind_bad_) return false;
        activity_.meta = std::move(meta_);
        change_.record = std::move(activity_);
      } else {
        return false;   // other kinds: core's codec on the DOM
      }
    }
    // A tombstone or an unknown kind: the record is not read (apply removes / ignores by type and id).
    changes.push_back(std::move(change_));
    return true;
  }

  // --- collecting a top-level member other than "changes" as JSON (DOM semantics) ---
  bool capturing() const { return capture_armed_ || !capture_stack_.empty(); }
  bool capture(Json v) {
    if (capture_armed_) {   // a scalar member
      capture_armed_ = false;
      rest[capture_name_] = std::move(v);
      return true;
    }
    Json* top = capture_stack_.back();
    if (top->is_object()) (*top)[capture_key_] = std::move(v);
    else top->push_back(std::move(v));
    return true;
  }
  bool capture_open(Json v) {
    if (capture_armed_) {
      capture_armed_ = false;
      capture_root_ = std::move(v);
      capture_stack_.push_back(&capture_root_);
      return true;
    }
    Json* top = capture_stack_.back();
    Json* child;
    if (top->is_object()) {
      (*top)[capture_key_] = std::move(v);
      child = &(*top)[capture_key_];
    } else {
      top->push_back(std::move(v));
      child = &top->back();
    }
    capture_stack_.push_back(child);
    return true;
  }
  bool capture_close() {
    capture_stack_.pop_back();
    if (capture_stack_.empty()) rest[capture_name_] = std::move(capture_root_);
    return true;
  }

  bool stored_;
  std::vector<Ctx> stack_;
  Slot pending_ = Slot::None;
  bool skip_next_ = false;        // the next value is an unknown member's: skip it whole
  int skip_depth_ = 0;
  bool top_changes_pending_ = false;

  PulledChange change_;
  RecordMeta meta_;
  Customer customer_;
  Activity activity_;
  std::uint64_t change_seen_ = 0, record_seen_ = 0, item_seen_ = 0;
  bool seen_type_ = false, seen_id_ = false, seen_record_ = false, kind_bad_ = false;
  std::string map_key_;

  std::string capture_name_;
  std::string capture_key_;
  bool capture_armed_ = false;
  Json capture_root_;
  std::vector<Json*> capture_stack_;
};

static_assert(static_cast<unsigned>(Slot::Count) <= 64, "member bits fit one word");

}  // namespace

Result<PulledPage> decode_pull_page_dom(std::string_view body) {
  auto j = Json::parse(body.begin(), body.end(), nullptr, false);
  // The changes are read by take_change (no record copies); the rest by the wire reader.
  Json changes_json;
  if (j.is_object()) {
    auto it = j.find("changes");
    if (it != j.end() && it->is_array()) {
      changes_json = std::move(*it);
      *it = Json::array();
    }
  }
  auto resp = sync::pull_response_from_json(j);
  if (!resp.ok()) return Result<PulledPage>::failure(std::move(resp.problems));
  PulledPage page;
  page.rest = std::move(resp.value);
  page.changes.reserve(changes_json.size());
  for (auto& el : changes_json) {
    auto ch = take_change(el);
    if (!ch.ok()) return Result<PulledPage>::failure(std::move(ch.problems));
    page.changes.push_back(pulled(std::move(ch.value)));
  }
  return Result<PulledPage>::success(std::move(page));
}

Result<PulledPage> decode_pull_page(std::string_view body) {
  FastPage h(false);
  if (Json::sax_parse(body.begin(), body.end(), &h) && h.saw_changes) {
    h.rest["changes"] = Json::array();
    auto resp = sync::pull_response_from_json(h.rest);
    if (resp.ok()) {
      PulledPage page;
      page.rest = std::move(resp.value);
      page.changes = std::move(h.changes);
      page.fast = true;
      return Result<PulledPage>::success(std::move(page));
    }
  }
  return decode_pull_page_dom(body);
}

Result<std::vector<PulledChange>> decode_stored_changes_dom(std::string_view text) {
  Result<std::vector<PulledChange>> out;
  auto arr = Json::parse(text.begin(), text.end(), nullptr, false);
  if (!arr.is_array()) {
    out.problems.push_back({"invalid_json", "pages", "本地数据页损坏", "A stored page is corrupt"});
    return out;
  }
  out.value.reserve(arr.size());
  for (auto& cj : arr) {
    auto ch = take_change(cj);
    if (!ch.ok()) {
      out.problems.insert(out.problems.end(), ch.problems.begin(), ch.problems.end());
      continue;
    }
    out.value.push_back(pulled(std::move(ch.value)));
  }
  return out;
}

Result<std::vector<PulledChange>> decode_stored_changes(std::string_view text, bool* fast) {
  FastPage h(true);
  if (Json::sax_parse(text.begin(), text.end(), &h)) {
    if (fast) *fast = true;
    return Result<std::vector<PulledChange>>::success(std::move(h.changes));
  }
  if (fast) *fast = false;
  return decode_stored_changes_dom(text);
}

Problems apply_pulled(LocalReplica& replica, PulledChange& change) {
  RecordKind kind;
  if (!parse_record_kind(change.type, kind)) return {};
  if (change.deleted) {
    replica.erase(kind, change.id);
    return {};
  }
  if (auto* c = std::get_if<Customer>(&change.record)) {
    replica.upsert(std::move(*c));
    return {};
  }
  if (auto* a = std::get_if<Activity>(&change.record)) {
    replica.upsert(std::move(*a));
    return {};
  }
  return apply_record_json(replica, kind, std::get<sync::Json>(change.record));
}

}  // namespace cl::app
