// The browser's local replica: every record this user may see (SYNC.md: the server computes the
// scope; the replica holds what pulls delivered plus this device's optimistic changes), keyed by id,
// with the secondary indexes the screens need (R6 profile, R7 board, R13 funnel).
//
// Plain data + indexes, no I/O: the sync client feeds it (pulls, rebase) and the platform layer saves
// it in chunks (src/platform/idb_*). A change journal lets view-models update incrementally instead of
// rescanning 50k customers after every pull page.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/model.h"

namespace cl::app {

// Which record kinds the replica holds (the wire's Change::type strings, plus the money trail R6 needs).
enum class RecordKind { Customer, Opportunity, Activity, Lead, Quote, Invoice, Payment };
const char* record_kind_name(RecordKind k);            // "customer", "opportunity", …
bool parse_record_kind(std::string_view s, RecordKind& out);

struct JournalEntry {
  std::uint64_t revision = 0;
  RecordKind kind = RecordKind::Customer;
  Id id;
};

class LocalReplica {
 public:
  // --- reads -----------------------------------------------------------------------------------
  const Customer* customer(const Id& id) const;
  const Opportunity* opportunity(const Id& id) const;
  const Activity* activity(const Id& id) const;
  const Lead* lead(const Id& id) const;
  const Quote* quote(const Id& id) const;

  const std::unordered_map<Id, Customer>& customers() const { return customers_; }
  const std::unordered_map<Id, Opportunity>& opportunities() const { return opportunities_; }
  const std::unordered_map<Id, Activity>& activities() const {
    ensure_activities();
    return activities_;
  }
  const std::unordered_map<Id, Lead>& leads() const { return leads_; }
  const std::unordered_map<Id, Quote>& quotes() const { return quotes_; }
  const std::unordered_map<Id, Invoice>& invoices() const { return invoices_; }
  const std::unordered_map<Id, Payment>& payments() const { return payments_; }

  // Indexes by customer (R6): ids, unordered; view-models sort what they show.
  std::vector<const Activity*> activities_of_customer(const Id& customer_id) const;
  std::vector<const Opportunity*> opportunities_of_customer(const Id& customer_id) const;
  std::vector<const Quote*> quotes_of_customer(const Id& customer_id) const;
  std::vector<const Invoice*> invoices_of_customer(const Id& customer_id) const;
  std::vector<const Payment*> payments_of_customer(const Id& customer_id) const;
  std::vector<const Activity*> activities_of_opportunity(const Id& opportunity_id) const;

  // Customer codes in use (R5: a new code must not collide with one already seen on this device).
  bool customer_code_taken(const std::string& code) const;
  const Id* customer_id_by_code(const std::string& code) const;

  std::size_t size() const;
  // Bumped on every write; view-models compare it to skip work when nothing changed.
  std::uint64_t revision() const { return revision_; }
  // Writes since `after` (exclusive), in order. Entries may repeat an id.
  const std::vector<JournalEntry>& journal() const { return journal_; }
  // Bumped by clear(): a view-model holding an older generation rebuilds from scratch.
  std::uint64_t generation() const { return generation_; }

  // --- writes (pull apply, optimistic local changes, load from storage) --------------------------
  void upsert(Customer c);
  void upsert(Opportunity o);
  void upsert(Activity a);
  void upsert(Lead l);
  void upsert(Quote q);
  void upsert(Invoice i);
  void upsert(Payment p);
  // Tombstones and scope removals both remove the record and its index entries.
  void erase(RecordKind kind, const Id& id);
  void clear();
  // Room for `n` records of `kind` (a snapshot load knows its counts: 100k inserts without rehashing).
  void reserve(RecordKind kind, std::size_t n);
  // A bulk load (the snapshot): clear(), the upserts, end_bulk_load(). Nothing is journalled in
  // between — the new generation makes every reader rebuild anyway — saving an id copy per record,
  // and the indexes by customer / opportunity / code are built by the first query that needs one.
  void begin_bulk_load();
  void end_bulk_load();
  // Inside a bulk load: the record goes straight into its map (no index, no journal, one move).
  // Outside one it is an upsert.
  void bulk_put(Customer&& c);
  void bulk_put(Opportunity&& o);
  void bulk_put(Activity&& a);
  void bulk_put(Lead&& l);
  void bulk_put(Quote&& q);
  void bulk_put(Invoice&& i);
  void bulk_put(Payment&& p);
  // Inside a bulk load: the record stored under `id` (a default one if new), for a decoder to fill
  // in place — every field, id included. A snapshot of 50k customers then builds no temporary to
  // move into the map and destroy. Outside a bulk load: nullptr (use bulk_put).
  template <class Rec> Rec* bulk_slot(std::string_view id);

  // --- deferred decode (a snapshot load) -----------------------------------------------------------
  // A snapshot's activities may be handed over as bytes: `count` records one after another from
  // offset `from`, which `read_one` decodes at `pos` (advancing it; false on bytes it can't read). They are decoded by
  // the first read that needs any activity, or a slice at a time by decode_deferred() when the app is
  // idle: a cold start draws the customers list without them (issue 5). The records are part of the
  // replica all along — every read path decodes first, nothing is journalled. Writes made meanwhile
  // are newer than the snapshot and win over a deferred record with the same id; an erase decodes
  // the rest first. Only inside a bulk load (begin_bulk_load … end_bulk_load).
  using ActivityReader = bool (*)(std::string_view bytes, std::size_t& pos, Activity& out);
  void defer_activities(std::string bytes, std::size_t from, std::size_t count, ActivityReader read_one);
  std::size_t deferred_activities() const { return deferred_.left; }
  void decode_deferred(std::size_t max_records) const;

 private:
  void ensure_activities() const {
    if (deferred_.left) decode_deferred(deferred_.left);
  }
  struct Deferred {
    std::string bytes;
    std::size_t pos = 0, left = 0;
    ActivityReader read = nullptr;
    bool started = false;
  };
  // Mutable with activities_: decoding them changes how the replica holds its records, not which.
  mutable Deferred deferred_;

  void touch(RecordKind kind, const Id& id);

  std::unordered_map<Id, Customer> customers_;
  std::unordered_map<Id, Opportunity> opportunities_;
  mutable std::unordered_map<Id, Activity> activities_;   // see deferred_
  std::unordered_map<Id, Lead> leads_;
  std::unordered_map<Id, Quote> quotes_;
  std::unordered_map<Id, Invoice> invoices_;
  std::unordered_map<Id, Payment> payments_;

  void ensure_indexes() const;
  template <class Rec>
  bool put_loaded(std::unordered_map<Id, Rec>& records, Rec&& rec);

  // Secondary indexes; after a bulk load they are empty until a query builds them (mutable for that).
  mutable std::unordered_multimap<Id, Id> activities_by_customer_, opportunities_by_customer_, quotes_by_customer_,
      invoices_by_customer_, payments_by_customer_, activities_by_opportunity_;
  mutable std::unordered_map<std::string, Id> customer_by_code_;
  mutable bool indexes_ready_ = true;

  std::uint64_t revision_ = 0;
  std::uint64_t generation_ = 0;
  std::vector<JournalEntry> journal_;
  bool journaling_ = true;
};

}  // namespace cl::app
