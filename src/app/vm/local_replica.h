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

  const std::unordered_map<Id, Customer>& customers() const {
    ensure_customers();
    return customers_;
  }
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
  // A snapshot's customers and activities may be handed over as bytes: the loader checked them
  // (bounds, counts, enum values) and lists where each customer starts, with its id and update time.
  // They are decoded by the first read that needs one of their kind, or a slice at a time by
  // decode_deferred() when the app is idle (customers first): a cold start draws the customers list
  // from the heads alone (customer_heads, peek_customer — issue 5). The records are part of the
  // replica all along: every other read path decodes first, nothing is journalled. Writes made
  // meanwhile are newer than the snapshot and win over a deferred record with the same id; an erase
  // decodes the rest of its kind first. Only inside a bulk load (begin_bulk_load … end_bulk_load).
  using CustomerReader = bool (*)(std::string_view bytes, std::size_t& pos, Customer& out);
  using ActivityReader = bool (*)(std::string_view bytes, std::size_t& pos, Activity& out);
  struct DeferredHead {           // one deferred customer: where it starts, where its id is, when it changed
    std::uint32_t at = 0, id_at = 0, id_len = 0;
    Instant updated_at = 0;
  };
  struct DeferredRecords {
    std::string bytes;                        // the snapshot (or the part the offsets below point into)
    std::vector<DeferredHead> customers;      // in byte order
    CustomerReader read_customer = nullptr;
    std::size_t activities_from = 0, activities = 0;   // `activities` records one after another
    ActivityReader read_activity = nullptr;
  };
  void defer(DeferredRecords records);
  std::size_t deferred_customers() const { return deferred_.customers.size() - deferred_.next_customer; }
  std::size_t deferred_activities() const { return deferred_.activities; }
  // Up to `max_records` deferred records, customers first.
  void decode_deferred(std::size_t max_records) const;

  // What a list needs of every customer, decoded or not: its id and update time. `hint` finds a
  // deferred one again for peek_customer (0 for a decoded one). The views last until the next write.
  struct CustomerHead {
    std::string_view id;
    Instant updated_at = 0;
    std::uint32_t hint = 0;
  };
  void customer_heads(std::vector<CustomerHead>& out) const;
  // A customer to show without decoding the rest: the replica's own record if decoded, else the
  // deferred one read into `scratch` (found through `hint`; without a usable hint every customer is
  // decoded first, as customer() does). nullptr if there is no such customer.
  const Customer* peek_customer(const Id& id, std::uint32_t hint, Customer& scratch) const;
  // How many customers, without decoding any (a record written over a deferred one counts twice).
  std::size_t customer_count_estimate() const { return customers_.size() + deferred_customers(); }

 private:
  void ensure_customers() const {
    if (deferred_customers()) decode_deferred_customers(deferred_customers());
  }
  void ensure_activities() const {
    if (deferred_.activities) decode_deferred_activities(deferred_.activities);
  }
  void decode_deferred_customers(std::size_t max_records) const;
  void decode_deferred_activities(std::size_t max_records) const;
  void drop_deferred_if_done() const;
  struct Deferred : DeferredRecords {
    std::size_t next_customer = 0;
    std::size_t activity_pos = 0;
  };
  // Mutable with the maps: decoding changes how the replica holds its records, not which.
  mutable Deferred deferred_;

  void touch(RecordKind kind, const Id& id);

  mutable std::unordered_map<Id, Customer> customers_;     // see deferred_
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
