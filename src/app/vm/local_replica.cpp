#include "app/vm/local_replica.h"

#include <algorithm>
#include <type_traits>

namespace cl::app {
namespace {

void index_remove(std::unordered_multimap<Id, Id>& index, const Id& key, const Id& value) {
  auto [b, e] = index.equal_range(key);
  for (auto it = b; it != e; ++it)
    if (it->second == value) { index.erase(it); return; }
}

void index_move(std::unordered_multimap<Id, Id>& index, const Id* old_key, const Id& new_key, const Id& value) {
  if (old_key && *old_key == new_key) return;
  if (old_key && !old_key->empty()) index_remove(index, *old_key, value);
  if (!new_key.empty()) index.emplace(new_key, value);
}

template <class Rec>
std::vector<const Rec*> lookup(const std::unordered_multimap<Id, Id>& index,
                               const std::unordered_map<Id, Rec>& records, const Id& key) {
  std::vector<const Rec*> out;
  auto [b, e] = index.equal_range(key);
  for (auto it = b; it != e; ++it) {
    auto r = records.find(it->second);
    if (r != records.end()) out.push_back(&r->second);
  }
  return out;
}

template <class Rec>
const Rec* find_in(const std::unordered_map<Id, Rec>& m, const Id& id) {
  auto it = m.find(id);
  return it == m.end() ? nullptr : &it->second;
}

}  // namespace

const char* record_kind_name(RecordKind k) {
  switch (k) {
    case RecordKind::Customer: return "customer";
    case RecordKind::Opportunity: return "opportunity";
    case RecordKind::Activity: return "activity";
    case RecordKind::Lead: return "lead";
    case RecordKind::Quote: return "quote";
    case RecordKind::Invoice: return "invoice";
    case RecordKind::Payment: return "payment";
  }
  return "?";
}

bool parse_record_kind(std::string_view s, RecordKind& out) {
  for (RecordKind k : {RecordKind::Customer, RecordKind::Opportunity, RecordKind::Activity, RecordKind::Lead,
                       RecordKind::Quote, RecordKind::Invoice, RecordKind::Payment})
    if (s == record_kind_name(k)) { out = k; return true; }
  return false;
}

const Customer* LocalReplica::customer(const Id& id) const {
  ensure_customers();
  return find_in(customers_, id);
}
const Opportunity* LocalReplica::opportunity(const Id& id) const { return find_in(opportunities_, id); }
const Activity* LocalReplica::activity(const Id& id) const {
  ensure_activities();
  return find_in(activities_, id);
}
const Lead* LocalReplica::lead(const Id& id) const { return find_in(leads_, id); }
const Quote* LocalReplica::quote(const Id& id) const { return find_in(quotes_, id); }

std::vector<const Activity*> LocalReplica::activities_of_customer(const Id& c) const {
  ensure_indexes();
  return lookup(activities_by_customer_, activities_, c);
}
std::vector<const Opportunity*> LocalReplica::opportunities_of_customer(const Id& c) const {
  ensure_indexes();
  return lookup(opportunities_by_customer_, opportunities_, c);
}
std::vector<const Quote*> LocalReplica::quotes_of_customer(const Id& c) const {
  ensure_indexes();
  return lookup(quotes_by_customer_, quotes_, c);
}
std::vector<const Invoice*> LocalReplica::invoices_of_customer(const Id& c) const {
  ensure_indexes();
  return lookup(invoices_by_customer_, invoices_, c);
}
std::vector<const Payment*> LocalReplica::payments_of_customer(const Id& c) const {
  ensure_indexes();
  return lookup(payments_by_customer_, payments_, c);
}
std::vector<const Activity*> LocalReplica::activities_of_opportunity(const Id& o) const {
  ensure_indexes();
  return lookup(activities_by_opportunity_, activities_, o);
}

bool LocalReplica::customer_code_taken(const std::string& code) const {
  ensure_indexes();
  return customer_by_code_.count(code) > 0;
}

const Id* LocalReplica::customer_id_by_code(const std::string& code) const {
  ensure_indexes();
  auto it = customer_by_code_.find(code);
  return it == customer_by_code_.end() ? nullptr : &it->second;
}

std::size_t LocalReplica::size() const {
  ensure_customers();
  ensure_activities();
  return customers_.size() + opportunities_.size() + activities_.size() + leads_.size() + quotes_.size() +
         invoices_.size() + payments_.size();
}

void LocalReplica::touch(RecordKind kind, const Id& id) {
  ++revision_;
  if (journaling_) journal_.push_back({revision_, kind, id});
}

// Each upsert copies the id once, into its map's key (try_emplace), and indexes and journals that
// key: a snapshot load upserts 100k records, and every id copy is an allocation in the browser.
void LocalReplica::upsert(Customer c) {
  auto [it, fresh] = customers_.try_emplace(c.meta.id);
  if (indexes_ready_) {
    if (!fresh && it->second.code != c.code) customer_by_code_.erase(it->second.code);
    if (!c.code.empty()) customer_by_code_.insert_or_assign(c.code, it->first);
  }
  it->second = std::move(c);
  touch(RecordKind::Customer, it->first);
}

void LocalReplica::upsert(Opportunity o) {
  auto [it, fresh] = opportunities_.try_emplace(o.meta.id);
  if (indexes_ready_)
    index_move(opportunities_by_customer_, fresh ? nullptr : &it->second.customer_id, o.customer_id, it->first);
  it->second = std::move(o);
  touch(RecordKind::Opportunity, it->first);
}

void LocalReplica::upsert(Activity a) {
  auto [it, fresh] = activities_.try_emplace(a.meta.id);
  if (indexes_ready_) {
    const Activity* old = fresh ? nullptr : &it->second;
    index_move(activities_by_customer_, old ? &old->customer_id : nullptr, a.customer_id, it->first);
    index_move(activities_by_opportunity_, old ? &old->opportunity_id : nullptr, a.opportunity_id, it->first);
  }
  it->second = std::move(a);
  touch(RecordKind::Activity, it->first);
}

void LocalReplica::upsert(Lead l) {
  auto [it, fresh] = leads_.try_emplace(l.meta.id);
  it->second = std::move(l);
  touch(RecordKind::Lead, it->first);
}

void LocalReplica::upsert(Quote q) {
  auto [it, fresh] = quotes_.try_emplace(q.meta.id);
  if (indexes_ready_) index_move(quotes_by_customer_, fresh ? nullptr : &it->second.customer_id, q.customer_id, it->first);
  it->second = std::move(q);
  touch(RecordKind::Quote, it->first);
}

void LocalReplica::upsert(Invoice i) {
  auto [it, fresh] = invoices_.try_emplace(i.meta.id);
  if (indexes_ready_) index_move(invoices_by_customer_, fresh ? nullptr : &it->second.customer_id, i.customer_id, it->first);
  it->second = std::move(i);
  touch(RecordKind::Invoice, it->first);
}

void LocalReplica::upsert(Payment p) {
  auto [it, fresh] = payments_.try_emplace(p.meta.id);
  if (indexes_ready_) index_move(payments_by_customer_, fresh ? nullptr : &it->second.customer_id, p.customer_id, it->first);
  it->second = std::move(p);
  touch(RecordKind::Payment, it->first);
}

void LocalReplica::erase(RecordKind kind, const Id& id) {
  switch (kind) {
    case RecordKind::Customer: {
      ensure_customers();   // or the deferred copy would come back when decoded
      auto it = customers_.find(id);
      if (it == customers_.end()) return;
      if (indexes_ready_) customer_by_code_.erase(it->second.code);
      customers_.erase(it);
      break;
    }
    case RecordKind::Opportunity: {
      auto it = opportunities_.find(id);
      if (it == opportunities_.end()) return;
      if (indexes_ready_) index_remove(opportunities_by_customer_, it->second.customer_id, id);
      opportunities_.erase(it);
      break;
    }
    case RecordKind::Activity: {
      ensure_activities();   // or the deferred copy would come back when decoded
      auto it = activities_.find(id);
      if (it == activities_.end()) return;
      if (indexes_ready_) {
        index_remove(activities_by_customer_, it->second.customer_id, id);
        index_remove(activities_by_opportunity_, it->second.opportunity_id, id);
      }
      activities_.erase(it);
      break;
    }
    case RecordKind::Lead:
      if (!leads_.erase(id)) return;
      break;
    case RecordKind::Quote: {
      auto it = quotes_.find(id);
      if (it == quotes_.end()) return;
      if (indexes_ready_) index_remove(quotes_by_customer_, it->second.customer_id, id);
      quotes_.erase(it);
      break;
    }
    case RecordKind::Invoice: {
      auto it = invoices_.find(id);
      if (it == invoices_.end()) return;
      if (indexes_ready_) index_remove(invoices_by_customer_, it->second.customer_id, id);
      invoices_.erase(it);
      break;
    }
    case RecordKind::Payment: {
      auto it = payments_.find(id);
      if (it == payments_.end()) return;
      if (indexes_ready_) index_remove(payments_by_customer_, it->second.customer_id, id);
      payments_.erase(it);
      break;
    }
  }
  touch(kind, id);
}

void LocalReplica::reserve(RecordKind kind, std::size_t n) {
  switch (kind) {
    case RecordKind::Customer:
      customers_.reserve(n);
      if (indexes_ready_) customer_by_code_.reserve(n);
      break;
    case RecordKind::Opportunity: opportunities_.reserve(n); break;
    case RecordKind::Activity: activities_.reserve(n); break;
    case RecordKind::Lead: leads_.reserve(n); break;
    case RecordKind::Quote: quotes_.reserve(n); break;
    case RecordKind::Invoice: invoices_.reserve(n); break;
    case RecordKind::Payment: payments_.reserve(n); break;
  }
  if (journaling_) journal_.reserve(journal_.size() + n);
}

void LocalReplica::begin_bulk_load() {
  clear();
  journaling_ = false;
  indexes_ready_ = false;
}

void LocalReplica::end_bulk_load() { journaling_ = true; }

template <class Rec>
bool LocalReplica::put_loaded(std::unordered_map<Id, Rec>& records, Rec&& rec) {
  if (journaling_ || indexes_ready_) return false;   // not in a bulk load: the caller upserts
  auto [it, fresh] = records.try_emplace(rec.meta.id, std::move(rec));
  if (!fresh) it->second = std::move(rec);   // the same id twice: the later one wins, as with upsert
  ++revision_;
  return true;
}

template <class Rec>
Rec* LocalReplica::bulk_slot(std::string_view id) {
  if (journaling_ || indexes_ready_) return nullptr;
  std::unordered_map<Id, Rec>* records = nullptr;
  if constexpr (std::is_same_v<Rec, Customer>) records = &customers_;
  else if constexpr (std::is_same_v<Rec, Opportunity>) records = &opportunities_;
  else if constexpr (std::is_same_v<Rec, Activity>) records = &activities_;
  else if constexpr (std::is_same_v<Rec, Lead>) records = &leads_;
  else if constexpr (std::is_same_v<Rec, Quote>) records = &quotes_;
  else if constexpr (std::is_same_v<Rec, Invoice>) records = &invoices_;
  else records = &payments_;
  ++revision_;
  return &records->try_emplace(Id(id)).first->second;
}
template Customer* LocalReplica::bulk_slot<Customer>(std::string_view);
template Opportunity* LocalReplica::bulk_slot<Opportunity>(std::string_view);
template Activity* LocalReplica::bulk_slot<Activity>(std::string_view);
template Lead* LocalReplica::bulk_slot<Lead>(std::string_view);
template Quote* LocalReplica::bulk_slot<Quote>(std::string_view);
template Invoice* LocalReplica::bulk_slot<Invoice>(std::string_view);
template Payment* LocalReplica::bulk_slot<Payment>(std::string_view);

void LocalReplica::bulk_put(Customer&& c) { if (!put_loaded(customers_, std::move(c))) upsert(std::move(c)); }
void LocalReplica::bulk_put(Opportunity&& o) { if (!put_loaded(opportunities_, std::move(o))) upsert(std::move(o)); }
void LocalReplica::bulk_put(Activity&& a) { if (!put_loaded(activities_, std::move(a))) upsert(std::move(a)); }
void LocalReplica::bulk_put(Lead&& l) { if (!put_loaded(leads_, std::move(l))) upsert(std::move(l)); }
void LocalReplica::bulk_put(Quote&& q) { if (!put_loaded(quotes_, std::move(q))) upsert(std::move(q)); }
void LocalReplica::bulk_put(Invoice&& i) { if (!put_loaded(invoices_, std::move(i))) upsert(std::move(i)); }
void LocalReplica::bulk_put(Payment&& p) { if (!put_loaded(payments_, std::move(p))) upsert(std::move(p)); }

void LocalReplica::defer(DeferredRecords records) {
  if (journaling_ || indexes_ready_) return;   // only inside a bulk load
  // A second hand-over in one load: the first one's records are older.
  ensure_customers();
  ensure_activities();
  if (!records.read_customer) records.customers.clear();
  if (!records.read_activity) records.activities = 0;
  deferred_ = Deferred{};
  static_cast<DeferredRecords&>(deferred_) = std::move(records);
  deferred_.activity_pos = deferred_.activities_from;
  drop_deferred_if_done();
}

void LocalReplica::decode_deferred(std::size_t max_records) const {
  const std::size_t customers = std::min(max_records, deferred_customers());
  if (customers) decode_deferred_customers(customers);
  if (max_records > customers && deferred_.activities) decode_deferred_activities(max_records - customers);
}

// The loader checked every record's bytes when it handed them over (replica_snapshot.cpp), so a
// read fails only if memory was overwritten; keep what was read rather than abort the app, and
// give up on the rest of that kind.
void LocalReplica::decode_deferred_customers(std::size_t max_records) const {
  Deferred& d = deferred_;
  if (d.next_customer == 0) customers_.reserve(customers_.size() + d.customers.size());   // room for all
  for (; d.next_customer < d.customers.size() && max_records > 0; ++d.next_customer, --max_records) {
    std::size_t pos = d.customers[d.next_customer].at;
    Customer c;
    if (!d.read_customer(d.bytes, pos, c)) {
      d.next_customer = d.customers.size();
      break;
    }
    customers_.try_emplace(c.meta.id, std::move(c));   // a record written since is newer: it stays
  }
  drop_deferred_if_done();
}

void LocalReplica::decode_deferred_activities(std::size_t max_records) const {
  Deferred& d = deferred_;
  if (d.activity_pos == d.activities_from) activities_.reserve(activities_.size() + d.activities);
  for (; d.activities > 0 && max_records > 0; --d.activities, --max_records) {
    Activity a;
    if (!d.read_activity(d.bytes, d.activity_pos, a)) {
      d.activities = 0;
      break;
    }
    activities_.try_emplace(a.meta.id, std::move(a));
  }
  drop_deferred_if_done();
}

void LocalReplica::drop_deferred_if_done() const {
  if (deferred_customers() == 0 && deferred_.activities == 0) deferred_ = Deferred{};   // free the bytes
}

void LocalReplica::customer_heads(std::vector<CustomerHead>& out) const {
  out.clear();
  out.reserve(customers_.size() + deferred_customers());
  for (const auto& [id, c] : customers_) out.push_back({id, c.meta.updated_at, 0});
  const Deferred& d = deferred_;
  for (std::size_t i = d.next_customer; i < d.customers.size(); ++i) {
    const DeferredHead& h = d.customers[i];
    const std::string_view id(d.bytes.data() + h.id_at, h.id_len);
    // Written since the load (few, if any): that record is listed above, not the deferred copy.
    if (!customers_.empty() && customers_.count(Id(id))) continue;
    out.push_back({id, h.updated_at, static_cast<std::uint32_t>(i + 1)});
  }
}

const Customer* LocalReplica::peek_customer(const Id& id, std::uint32_t hint, Customer& scratch) const {
  if (const Customer* c = find_in(customers_, id)) return c;
  const Deferred& d = deferred_;
  if (hint > d.next_customer && hint <= d.customers.size()) {
    const DeferredHead& h = d.customers[hint - 1];
    std::size_t pos = h.at;
    if (std::string_view(d.bytes.data() + h.id_at, h.id_len) == id && d.read_customer(d.bytes, pos, scratch))
      return &scratch;
  }
  return customer(id);
}

// After a bulk load the indexes are built by the first query that needs one: a cold start draws the
// customers list before anyone opens a profile or types a customer code, and building them inside
// the load was a fifth of its cost (bench/app_cold_start_bench.cpp).
void LocalReplica::ensure_indexes() const {
  if (indexes_ready_) return;
  ensure_customers();    // while any are deferred the indexes are not built (upsert relies on it)
  ensure_activities();
  indexes_ready_ = true;
  customer_by_code_.reserve(customers_.size());
  for (const auto& [id, c] : customers_)
    if (!c.code.empty()) customer_by_code_.insert_or_assign(c.code, id);
  for (const auto& [id, o] : opportunities_) index_move(opportunities_by_customer_, nullptr, o.customer_id, id);
  for (const auto& [id, a] : activities_) {
    index_move(activities_by_customer_, nullptr, a.customer_id, id);
    index_move(activities_by_opportunity_, nullptr, a.opportunity_id, id);
  }
  for (const auto& [id, q] : quotes_) index_move(quotes_by_customer_, nullptr, q.customer_id, id);
  for (const auto& [id, i] : invoices_) index_move(invoices_by_customer_, nullptr, i.customer_id, id);
  for (const auto& [id, p] : payments_) index_move(payments_by_customer_, nullptr, p.customer_id, id);
}

void LocalReplica::clear() {
  customers_.clear(); opportunities_.clear(); activities_.clear(); leads_.clear(); quotes_.clear();
  invoices_.clear(); payments_.clear();
  activities_by_customer_.clear(); opportunities_by_customer_.clear(); quotes_by_customer_.clear();
  invoices_by_customer_.clear(); payments_by_customer_.clear(); activities_by_opportunity_.clear();
  customer_by_code_.clear();
  deferred_ = Deferred{};
  indexes_ready_ = true;   // empty records, empty indexes
  ++revision_;
  ++generation_;
  journal_.clear();
}

}  // namespace cl::app
