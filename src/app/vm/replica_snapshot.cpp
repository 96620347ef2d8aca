#include "app/vm/replica_snapshot.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <type_traits>
#include <vector>

#include "app/vm/byte_codec.h"
#include "core/enum_names.h"
#include "core/version.h"

namespace cl::app {
namespace {

// Bump when the byte layout below changes (a field added to a visitor, a kind added).
constexpr std::uint64_t kFormatVersion = 1;
constexpr char kMagic[4] = {'C', 'L', 'R', 'S'};

// Every field of every record kind, in one list per struct, walked by both the writer and the
// reader — so the two can't disagree. A field added to model.h must be added here too (the test
// "snapshot fixtures set every field" fails until the fixture sets it, and then the round trip
// fails until it is listed here); the layout fingerprint makes old snapshots stale meanwhile.
template <class IO> void fields(IO& io, RecordMeta& m) {
  io(m.id); io(m.owner_id); io(m.created_at); io(m.updated_at); io(m.version); io(m.deleted);
}
template <class IO> void fields(IO& io, Lead& l) {
  io(l.meta); io(l.company); io(l.contact_name); io(l.phone); io(l.source); io(l.region); io(l.note);
  io(l.status); io(l.import_batch_id); io(l.imported_at); io(l.assigned_at); io(l.first_touched_at);
  io(l.first_touched_by); io(l.last_outcome); io(l.qualified_at); io(l.converted_at);
  io(l.converted_customer_id); io(l.converted_opportunity_id); io(l.drop_reason);
}
template <class IO> void fields(IO& io, Contact& c) {
  io(c.name); io(c.title); io(c.phone); io(c.decision_maker);
}
template <class IO> void fields(IO& io, OwnerChange& o) {
  io(o.from_owner); io(o.to_owner); io(o.at); io(o.by); io(o.reason);
}
template <class IO> void fields(IO& io, Customer& c) {
  io(c.meta); io(c.code); io(c.name); io(c.decision_maker); io(c.decision_maker_title); io(c.phone);
  io(c.main_business); io(c.address); io(c.contacts); io(c.tags); io(c.custom); io(c.contact_authorised);
  io(c.source_lead_id); io(c.owner_history);
}
template <class IO> void fields(IO& io, EvidenceRef& e) {
  io(e.sha256); io(e.file_name); io(e.mime_type); io(e.size_bytes); io(e.kind); io(e.uploaded_by); io(e.uploaded_at);
}
template <class IO> void fields(IO& io, StageVisit& s) {
  io(s.stage); io(s.entered_at); io(s.left_at); io(s.entered_by); io(s.evidence); io(s.reason);
  io(s.level1_sent_at); io(s.level2_sent_at); io(s.acknowledged_at); io(s.acknowledged_by);
}
template <class IO> void fields(IO& io, Opportunity& o) {
  io(o.meta); io(o.customer_id); io(o.title); io(o.expected_amount); io(o.product_ids); io(o.status);
  io(o.close_reason); io(o.closed_at); io(o.stages);
}
template <class IO> void fields(IO& io, Activity& a) {
  io(a.meta); io(a.kind); io(a.at); io(a.customer_id); io(a.opportunity_id); io(a.lead_id); io(a.summary); io(a.outcome);
}
template <class IO> void fields(IO& io, QuoteLine& l) {
  io(l.product_id); io(l.model_code); io(l.product_name); io(l.quantity); io(l.unit_list_price); io(l.discount_bp);
}
template <class IO> void fields(IO& io, Quote& q) {
  io(q.meta); io(q.code); io(q.customer_id); io(q.opportunity_id); io(q.price_list_id); io(q.quote_date);
  io(q.valid_until); io(q.lines); io(q.status); io(q.approved_by); io(q.approved_at); io(q.approval_note);
  io(q.based_on_quote_id);
}
template <class IO> void fields(IO& io, Invoice& i) {
  io(i.meta); io(i.code); io(i.contract_id); io(i.customer_id); io(i.amount); io(i.status); io(i.requested_on);
  io(i.issued_on); io(i.due_on);
}
template <class IO> void fields(IO& io, Payment& p) {
  io(p.meta); io(p.invoice_id); io(p.customer_id); io(p.amount); io(p.received_on); io(p.method); io(p.reference);
}

// The writer side of fields(): it only reads (fields() takes T& so one list serves both sides).
struct Out {
  ByteWriter& w;
  void operator()(std::string& s) { w.text(s); }
  void operator()(std::int64_t& v) { w.i64(v); }
  void operator()(int& v) { w.i64(v); }
  void operator()(bool& v) { w.flag(v); }
  void operator()(Money& m) { w.i64(m.fen); }
  void operator()(Date& d) { w.i64(d.year); w.i64(d.month); w.i64(d.day); }
  void operator()(std::map<std::string, std::string>& m) {
    w.u64(m.size());
    for (auto& [k, v] : m) { w.text(k); w.text(v); }
  }
  template <class E> requires std::is_enum_v<E> void operator()(E& e) { w.u64(static_cast<std::uint64_t>(e)); }
  template <class T> void operator()(std::vector<T>& v) {
    w.u64(v.size());
    for (auto& x : v) (*this)(x);
  }
  template <class T> requires std::is_class_v<T> void operator()(T& t) { fields(*this, t); }
};

struct In {
  ByteReader& r;
  void operator()(std::string& s) { r.text(s); }
  void operator()(std::int64_t& v) { v = r.i64(); }
  void operator()(int& v) { v = static_cast<int>(r.i64()); }
  void operator()(bool& v) { v = r.flag(); }
  void operator()(Money& m) { m.fen = r.i64(); }
  void operator()(Date& d) { (*this)(d.year); (*this)(d.month); (*this)(d.day); }
  void operator()(std::map<std::string, std::string>& m) {
    m.clear();
    const std::size_t n = r.count();
    for (std::size_t i = 0; i < n && r.ok(); ++i) {
      std::string k, v;
      r.text(k);
      r.text(v);
      m.emplace_hint(m.end(), std::move(k), std::move(v));
    }
  }
  template <class E> requires std::is_enum_v<E> void operator()(E& e) {
    e = static_cast<E>(r.u64());
    if (enum_name(e).empty()) r.fail();   // a value this build doesn't know: not our bytes
  }
  template <class T> void operator()(std::vector<T>& v) {
    const std::size_t n = r.count();
    v.clear();
    v.reserve(n);
    for (std::size_t i = 0; i < n && r.ok(); ++i) {
      v.emplace_back();
      (*this)(v.back());
    }
  }
  template <class T> requires std::is_class_v<T> void operator()(T& t) { fields(*this, t); }
};

// fields() walked without keeping anything: checks a record's bytes as In reads them (bounds, counts,
// enum values) at a fraction of the cost — no string or node is allocated.
struct Skip {
  ByteReader& r;
  // If set, a record's RecordMeta is read into it, not skipped: a deferred customer is listed by its
  // id and update time. Reused record after record, its strings allocate only while they grow.
  RecordMeta* meta = nullptr;
  void operator()(RecordMeta& m) {
    if (!meta) return fields(*this, m);
    In in{r};
    fields(in, *meta);
  }
  void operator()(std::string&) { r.skip_text(); }
  void operator()(std::int64_t&) { r.u64(); }
  void operator()(int&) { r.u64(); }
  void operator()(bool&) { r.flag(); }
  void operator()(Money&) { r.u64(); }
  void operator()(Date&) { r.u64(); r.u64(); r.u64(); }
  void operator()(std::map<std::string, std::string>&) {
    const std::size_t n = r.count();
    for (std::size_t i = 0; i < n && r.ok(); ++i) { r.skip_text(); r.skip_text(); }
  }
  template <class E> requires std::is_enum_v<E> void operator()(E&) {
    if (enum_name(static_cast<E>(r.u64())).empty()) r.fail();
  }
  template <class T> void operator()(std::vector<T>&) {
    const std::size_t n = r.count();
    T scratch;
    for (std::size_t i = 0; i < n && r.ok(); ++i) (*this)(scratch);
  }
  template <class T> requires std::is_class_v<T> void operator()(T& t) { fields(*this, t); }
};

// LocalReplica::CustomerReader / ActivityReader: one record at `pos` of the bytes decode_snapshot
// handed over.
template <class T>
bool read_one(std::string_view bytes, std::size_t& pos, T& out) {
  ByteReader r(bytes, pos);
  In in{r};
  fields(in, out);
  pos = r.position();
  return r.ok();
}

// The customers section checked and listed, not decoded (LocalReplica::defer): where each record
// starts, where its id is, its update time — as offsets into `body`, whose start is the start of
// the bytes the replica keeps.
bool list_customers(ByteReader& r, std::string_view body, std::vector<LocalReplica::DeferredHead>& heads) {
  const std::size_t n = r.count();
  heads.reserve(n);
  RecordMeta meta;
  Skip skip{r, &meta};
  Customer scratch;
  for (std::size_t i = 0; i < n && r.ok(); ++i) {
    const std::size_t at = r.position();
    const std::string_view id = r.peek_text();   // RecordMeta::id, the first field written
    fields(skip, scratch);
    if (!r.ok()) break;
    heads.push_back({static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(id.data() - body.data()),
                     static_cast<std::uint32_t>(id.size()), meta.updated_at});
  }
  return r.ok();
}

// A model change usually changes a struct's size: such a build sees older snapshots as stale.
std::uint64_t layout_fingerprint() {
  const std::size_t sizes[] = {sizeof(RecordMeta), sizeof(Lead), sizeof(Contact), sizeof(OwnerChange),
                               sizeof(Customer), sizeof(EvidenceRef), sizeof(StageVisit), sizeof(Opportunity),
                               sizeof(Activity), sizeof(QuoteLine), sizeof(Quote), sizeof(Invoice),
                               sizeof(Payment), sizeof(Date), sizeof(Money)};
  std::string bytes;
  for (std::size_t s : sizes) bytes += std::to_string(s) + ",";
  return checksum64(bytes);
}

template <class T>
void write_kind(ByteWriter& w, const std::unordered_map<Id, T>& records) {
  Out out{w};
  w.u64(records.size());
  if constexpr (std::is_same_v<T, Customer>) {
    // In the customers list's order (most recently changed first, then by id): a cold start lists
    // them in the order they load, and the list then finds its order already sorted.
    std::vector<const Customer*> order;
    order.reserve(records.size());
    for (const auto& [id, c] : records) order.push_back(&c);
    std::sort(order.begin(), order.end(), [](const Customer* a, const Customer* b) {
      if (a->meta.updated_at != b->meta.updated_at) return a->meta.updated_at > b->meta.updated_at;
      return a->meta.id < b->meta.id;
    });
    for (const Customer* c : order) fields(out, const_cast<Customer&>(*c));   // Out only reads
  } else {
    for (const auto& [id, rec] : records) fields(out, const_cast<T&>(rec));
  }
}

// Up to `n` records of one kind. Not inlined, and called once per slice of records rather than once per
// kind, because a wasm engine has no on-stack replacement: V8 starts a page on its baseline compiler
// (Liftoff) and swaps in optimized code only at the next call of a function that got hot. One call
// decoding 50k customers would run start to end on baseline code; slices pick up the optimized code
// as soon as it is ready (issue 5 cold start).
// Each record is decoded straight into its place in the replica (bulk_slot, found by the id the
// record starts with): no temporary record to move and destroy.
template <class T>
[[gnu::noinline]] bool read_slice(ByteReader& r, LocalReplica& replica, std::size_t n) {
  In in{r};
  for (std::size_t i = 0; i < n; ++i) {
    const std::string_view id = r.peek_text();   // RecordMeta::id, the first field written
    T* slot = r.ok() ? replica.bulk_slot<T>(id) : nullptr;
    if (slot) {
      fields(in, *slot);   // every field, the id again included; a repeated id: the later one wins
    } else {
      T rec;
      fields(in, rec);
      if (r.ok()) replica.bulk_put(std::move(rec));
    }
    if (!r.ok()) return false;
  }
  return true;
}

template <class T>
void read_kind(ByteReader& r, LocalReplica& replica, RecordKind kind) {
  constexpr std::size_t kSlice = 256;
  // Called through a volatile pointer: the link's optimizer (Binaryen) inlines a function with one
  // caller whatever the source says, and the slices would be one call again.
  bool (*volatile slice)(ByteReader&, LocalReplica&, std::size_t) = &read_slice<T>;
  const std::size_t n = r.count();
  replica.reserve(kind, n);
  for (std::size_t done = 0; done < n && r.ok(); done += kSlice)
    if (!slice(r, replica, std::min(kSlice, n - done))) return;
}

}  // namespace

const std::string& snapshot_format_tag() {
  static const std::string tag = "clrs/" + std::to_string(kFormatVersion) + "/" + std::to_string(kSchemaVersion) + "/" +
                                 std::to_string(layout_fingerprint());
  return tag;
}

std::string encode_snapshot(const LocalReplica& replica, const std::vector<StoredPageInfo>& pages, SnapshotInfo info) {
  ByteWriter w;
  w.bytes().reserve(64 + 300 * replica.size() + 10 * stored_changes(pages));
  w.raw(std::string_view(kMagic, 4));
  w.text(snapshot_format_tag());
  w.i64(info.page_key);
  w.i64(info.page_generation);
  w.u64(pages.size());
  for (const auto& p : pages) {
    w.i64(p.key);
    w.u64(p.changes.size());
    for (const auto& c : p.changes) {
      char h[8];
      std::memcpy(h, &c.record, 8);
      w.raw(std::string_view(h, 8));
      w.flag(c.tombstone);
    }
  }
  write_kind(w, replica.customers());
  write_kind(w, replica.opportunities());
  write_kind(w, replica.activities());
  write_kind(w, replica.leads());
  write_kind(w, replica.quotes());
  write_kind(w, replica.invoices());
  write_kind(w, replica.payments());
  const std::uint64_t sum = checksum64(w.bytes());
  char s[8];
  std::memcpy(s, &sum, 8);
  w.raw(std::string_view(s, 8));
  return std::move(w.bytes());
}

std::optional<DecodedSnapshot> decode_snapshot(std::string_view bytes, LocalReplica& replica, std::string* owner) {
  if (bytes.size() < 12 || std::memcmp(bytes.data(), kMagic, 4) != 0) return std::nullopt;
  const std::string_view body = bytes.substr(0, bytes.size() - 8);
  std::uint64_t sum;
  std::memcpy(&sum, bytes.data() + body.size(), 8);
  if (checksum64(body) != sum) return std::nullopt;
  ByteReader r(body);
  r.raw(4);
  std::string tag;
  r.text(tag);
  if (!r.ok() || tag != snapshot_format_tag()) return std::nullopt;   // another build's layout
  DecodedSnapshot out;
  out.info.page_key = r.i64();
  out.info.page_generation = r.i64();
  const std::size_t page_count = r.count();
  out.pages.reserve(page_count);
  for (std::size_t i = 0; i < page_count && r.ok(); ++i) {
    StoredPageInfo p;
    p.key = r.i64();
    const std::size_t n = r.count();
    p.changes.reserve(n);
    for (std::size_t k = 0; k < n && r.ok(); ++k) {
      PageRecord c;
      const std::string_view h = r.raw(8);
      if (!r.ok()) break;
      std::memcpy(&c.record, h.data(), 8);
      c.tombstone = r.flag();
      p.changes.push_back(c);
    }
    out.pages.push_back(std::move(p));
  }
  if (!r.ok()) return std::nullopt;
  replica.begin_bulk_load();
  // Customers and activities — the bulk of a replica — are checked here and decoded later
  // (LocalReplica::defer): the customers list draws its first frame from the customers' ids and
  // update times, and the rest decodes after it, a slice per idle tick (issue 5 cold start: most of
  // the decode and of the memory a start touched before its first frame).
  LocalReplica::DeferredRecords deferred;
  list_customers(r, body, deferred.customers);
  read_kind<Opportunity>(r, replica, RecordKind::Opportunity);
  const std::size_t activity_count = r.count();
  const std::size_t activities_from = r.position();
  {
    Skip skip{r};
    Activity scratch;
    for (std::size_t i = 0; i < activity_count && r.ok(); ++i) fields(skip, scratch);
  }
  read_kind<Lead>(r, replica, RecordKind::Lead);
  read_kind<Quote>(r, replica, RecordKind::Quote);
  read_kind<Invoice>(r, replica, RecordKind::Invoice);
  read_kind<Payment>(r, replica, RecordKind::Payment);
  if (r.ok() && r.at_end() && (activity_count > 0 || !deferred.customers.empty())) {
    // The offsets count from the start of `body`, which is where `bytes` and `owner` start too.
    if (owner && owner->data() == bytes.data()) deferred.bytes = std::move(*owner);   // no copy
    else deferred.bytes = std::string(body);
    deferred.read_customer = &read_one<Customer>;
    deferred.activities_from = activities_from;
    deferred.activities = activity_count;
    deferred.read_activity = &read_one<Activity>;
    replica.defer(std::move(deferred));
  }
  replica.end_bulk_load();
  if (!r.ok() || !r.at_end()) {
    replica.clear();
    return std::nullopt;
  }
  return out;
}

}  // namespace cl::app
