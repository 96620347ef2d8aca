// Customer search's fast paths (issue 5: typing over 50k customers, frame p95 ≤ 4 ms): narrowing when
// the query grows, the remembered result on Backspace, lazily built keys, and background re-writes of
// unchanged records — each checked against a plain scan of every customer, so a fast path can never
// show a different list than the slow one would.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "app/vm/customer_list_vm.h"
#include "app/vm/search_key.h"
#include "vm_list_test_helpers.h"
#include "vm_test_fixtures.h"

using namespace cl;
using namespace cl::app;
using cl::app::test::shown;
using cl::app::test::typed;
using cl::app::test::make_customer;

namespace {

// A varied replica: names from parts, phones, owners and regions, distinct update times.
LocalReplica varied_replica(int n) {
  const char* cities[] = {"杭州", "宁波", "温州", "绍兴"};
  const char* mids[] = {"康泰", "仁和", "博爱", "同济", "安康"};
  const char* tails[] = {"第一人民医院", "口腔诊所", "医疗器械有限公司", "骨科医院"};
  LocalReplica r;
  for (int i = 0; i < n; ++i) {
    auto c = make_customer("id" + std::to_string(i),
                           std::string(cities[i % 4]) + mids[(i / 4) % 5] + tails[(i / 20) % 4] + std::to_string(i % 7),
                           "138" + std::to_string(10000000 + i * 7919 % 9000000), i % 3 ? "rep1" : "rep2",
                           cities[(i / 3) % 4], 1000 + i);
    c.code = "KH-0A1-" + std::to_string(100000 + i);
    r.upsert(c);
  }
  return r;
}

// The reference: every customer whose key contains the normalised query and passes the facets, in
// display order (most recently changed first, then id).
std::vector<Id> brute_force(const LocalReplica& r, const CustomerFilter& f) {
  const std::vector<const Customer*> all = cl::app::test::in_display_order(r);
  const std::string q = normalize_search_text(f.query);
  std::vector<Id> out;
  for (const Customer* c : all) {
    if (!f.owner_id.empty() && c->meta.owner_id != f.owner_id) continue;
    if (!f.region.empty() && c->tags.at("region") != f.region) continue;
    if (customer_search_key(*c).find(q) == std::string::npos) continue;
    out.push_back(c->meta.id);
  }
  return out;
}

}  // namespace

TEST_CASE("typing a query character by character narrows the previous hits and shows what a full scan shows") {
  const LocalReplica r = varied_replica(600);
  for (const std::string query : {"杭州康泰第一", "1381", "kh-0a1-1002", "仁和口腔诊所3"}) {
    CustomerListVM vm;
    CustomerFilter f;
    vm.refresh(r, f);
    std::string previous;
    for (const auto& prefix : typed(query)) {
      f.query = prefix;
      vm.refresh(r, f);
      // A character the folding drops ("-") leaves the normalised query, and the hits, as they were.
      const ListScan expected = normalize_search_text(prefix) == previous ? ListScan::None
                                : previous.empty()                        ? ListScan::Full
                                                                          : ListScan::Narrowed;
      CHECK(vm.last_scan() == expected);
      previous = normalize_search_text(prefix);
      CHECK(shown(vm) == brute_force(r, f));
    }
  }
}

TEST_CASE("Backspace returns the result remembered for the shorter query, equal to a fresh scan") {
  const LocalReplica r = varied_replica(600);
  CustomerListVM vm;
  CustomerFilter f;
  for (const auto& prefix : typed("宁波博爱骨科")) {
    f.query = prefix;
    vm.refresh(r, f);
  }
  const auto typed_back = typed("宁波博爱骨科");
  for (auto it = typed_back.rbegin() + 1; it != typed_back.rend(); ++it) {
    f.query = *it;
    vm.refresh(r, f);
    CHECK(vm.last_scan() == ListScan::Remembered);
    CHECK(shown(vm) == brute_force(r, f));
  }
  // Typing on again after the Backspaces narrows from the remembered result.
  f.query = "宁波博";
  vm.refresh(r, f);
  CHECK(vm.last_scan() == ListScan::Narrowed);
  CHECK(shown(vm) == brute_force(r, f));
  f.query = "";
  vm.refresh(r, f);
  CHECK(vm.count() == 600);
}

TEST_CASE("a query that does not extend the previous one scans again") {
  const LocalReplica r = varied_replica(300);
  CustomerListVM vm;
  vm.refresh(r, {.query = "杭州"});
  vm.refresh(r, {.query = "温州"});
  CHECK(vm.last_scan() == ListScan::Full);
  CHECK(shown(vm) == brute_force(r, {.query = "温州"}));
}

TEST_CASE("narrowing keeps the owner and region filters") {
  const LocalReplica r = varied_replica(600);
  CustomerListVM vm;
  CustomerFilter f{.owner_id = "rep2", .region = "宁波"};
  for (const auto& prefix : typed("杭州安康")) {
    f.query = prefix;
    vm.refresh(r, f);
    CHECK(shown(vm) == brute_force(r, f));
  }
  CHECK(vm.last_scan() == ListScan::Narrowed);
  f.owner_id = "rep1";  // another facet: a new scan, not the remembered hits of rep2
  vm.refresh(r, f);
  CHECK(vm.last_scan() == ListScan::Full);
  CHECK(shown(vm) == brute_force(r, f));
}

TEST_CASE("a record written again unchanged (a re-pulled page) costs no rescan; a real edit does") {
  LocalReplica r = varied_replica(200);
  CustomerListVM vm;
  CustomerFilter f{.query = "杭州"};
  vm.refresh(r, f);
  const auto before = shown(vm);

  r.upsert(*r.customer("id4"));  // same record, same fields
  vm.refresh(r, f);
  CHECK(vm.last_scan() == ListScan::None);
  CHECK(shown(vm) == before);

  auto edited = *r.customer("id5");  // 宁波… renamed into the query, changed last
  edited.name = "杭州新名字医院";
  edited.meta.updated_at = 99'999;
  r.upsert(edited);
  vm.refresh(r, f);
  CHECK(vm.last_scan() == ListScan::Full);
  REQUIRE(vm.count() == before.size() + 1);
  CHECK(vm.id_at(0) == "id5");
  CHECK(shown(vm) == brute_force(r, f));

  // Narrowing after the edit searches the new key, not the old one.
  f.query = "杭州新";
  vm.refresh(r, f);
  CHECK(shown(vm) == std::vector<Id>{"id5"});
}

TEST_CASE("a list shown without a query works before any search key exists, and searching builds them") {
  const LocalReplica r = varied_replica(100);
  CustomerListVM vm;
  vm.refresh(r, {});
  CHECK(vm.count() == 100);
  CHECK(vm.last_scan() == ListScan::FacetsOnly);
  CHECK(vm.row(r, 0).id == "id99");
  vm.refresh(r, {.query = "同济"});
  CHECK(shown(vm) == brute_force(r, {.query = "同济"}));
}

TEST_CASE("queries are folded like the keys: full-width digits, upper case, Chinese brackets and dashes") {
  LocalReplica r;
  auto c = make_customer("1", "杭州（西湖）康泰医院", "0571-8888 1234");
  c.code = "KH-0A1-00017";
  r.upsert(c);
  r.upsert(make_customer("2", "宁波医院", "0574-1111 2222"));
  CustomerListVM vm;
  for (const char* q : {"１２３４", "KH-0A1", "kh0a1", "杭州西湖", "（西湖）康泰", "0571 88881234"}) {
    vm.refresh(r, {.query = q});
    CHECK_MESSAGE(shown(vm) == std::vector<Id>{"1"}, q);
  }
}

TEST_CASE("the region and owner drop-downs follow added and removed customers") {
  LocalReplica r;
  r.upsert(make_customer("1", "甲", "", "rep1", "杭州"));
  CustomerListVM vm;
  vm.refresh(r, {});
  CHECK(vm.regions(r) == std::vector<std::string>{"杭州"});
  r.upsert(make_customer("2", "乙", "", "rep2", "宁波", 2000));
  vm.refresh(r, {});
  CHECK(vm.regions(r) == std::vector<std::string>{"宁波", "杭州"});
  CHECK(vm.owners(r) == std::vector<std::string>{"rep1", "rep2"});
  r.erase(RecordKind::Customer, "1");
  vm.refresh(r, {});
  CHECK(vm.regions(r) == std::vector<std::string>{"宁波"});
  CHECK(vm.owners(r) == std::vector<std::string>{"rep2"});
}

TEST_CASE("search keys are built a slice per refresh while the query is empty, edits included") {
  LocalReplica r = varied_replica(4000);
  CustomerListVM vm;
  vm.refresh(r, {});
  CHECK_FALSE(vm.keys_ready());  // a start that only lists doesn't pay for all keys in one frame
  auto edited = *r.customer("id3999");
  edited.name = "舟山海岛诊所";
  edited.meta.updated_at = 50'000;
  r.upsert(edited);
  for (int i = 0; i < 40 && !vm.keys_ready(); ++i) vm.refresh(r, {});
  CHECK(vm.keys_ready());
  vm.refresh(r, {.query = "舟山"});
  CHECK(shown(vm) == std::vector<Id>{"id3999"});
  vm.refresh(r, {.query = "杭州康泰"});
  CHECK(shown(vm) == brute_force(r, {.query = "杭州康泰"}));
}

TEST_CASE("idle ticks between frames build the keys, slots and drop-down values, taking in writes made meanwhile") {
  LocalReplica r = varied_replica(6000);
  CustomerListVM vm;
  CHECK_FALSE(vm.warm_idle(r, 1000));   // never listed: nothing to prepare
  CHECK_FALSE(vm.keys_ready());
  vm.refresh(r, {});
  REQUIRE_FALSE(vm.keys_ready());
  REQUIRE_FALSE(vm.facets_ready());
  // Writes with no frame in between (a pulled page): an edit, a new customer, an erase.
  auto edited = *r.customer("id5999");
  edited.name = "舟山海岛诊所";
  edited.tags["region"] = "舟山";
  edited.meta.updated_at = 90'000;
  r.upsert(edited);
  r.upsert(make_customer("new1", "丽水新客户", "", "rep3", "丽水", 91'000));
  r.erase(RecordKind::Customer, "id17");
  int ticks = 1;
  while (vm.warm_idle(r, 1000)) ++ticks;
  CHECK(ticks == 6);   // a slice of 1,000 per tick, never all 6,000 at once
  CHECK(vm.keys_ready());
  CHECK(vm.facets_ready());
  // What the warmed list shows equals a plain scan; the first search costs no key building.
  vm.refresh(r, {});
  CHECK(shown(vm) == brute_force(r, {}));
  vm.refresh(r, {.query = "舟山"});
  CHECK(shown(vm) == std::vector<Id>{"id5999"});
  vm.refresh(r, {.query = "丽水"});
  CHECK(shown(vm) == brute_force(r, {.query = "丽水"}));
  vm.refresh(r, {.query = "杭州康泰"});
  CHECK(shown(vm) == brute_force(r, {.query = "杭州康泰"}));
  std::vector<std::string> regions = vm.regions(r);
  CHECK(std::find(regions.begin(), regions.end(), "舟山") != regions.end());
  CHECK(std::find(regions.begin(), regions.end(), "丽水") != regions.end());
}

TEST_CASE("a first search before the keys are warm builds the rest at once and finds the same") {
  const LocalReplica r = varied_replica(4000);
  CustomerListVM vm;
  vm.refresh(r, {});
  REQUIRE_FALSE(vm.keys_ready());
  vm.refresh(r, {.query = "温州同济"});
  CHECK(vm.keys_ready());
  CHECK(shown(vm) == brute_force(r, {.query = "温州同济"}));
}

TEST_CASE("owners and regions are read lazily after a rebuild, and edits made before that read count once") {
  // A start's first frame lists without reading any customer's tags; the drop-downs, a filter by
  // owner or region and the idle refreshes read them. Whatever order that happens in, the values
  // are exactly those of the live customers.
  auto distinct = [](const LocalReplica& r, bool regions) {
    std::set<std::string> out;
    for (const auto& [id, c] : r.customers()) {
      const std::string v = regions ? (c.tags.count("region") ? c.tags.at("region") : "") : c.meta.owner_id;
      if (!v.empty()) out.insert(v);
    }
    return std::vector<std::string>(out.begin(), out.end());
  };
  for (int variant = 0; variant < 3; ++variant) {
    LocalReplica r = varied_replica(3000);
    CustomerListVM vm;
    vm.refresh(r, {});
    CHECK_FALSE(vm.facets_ready());
    // Edits before any facet is read: a move to a new region and owner, an erase, a new customer.
    Customer moved = *r.customer("id7");
    moved.tags["region"] = "舟山";
    moved.meta.owner_id = "rep9";
    r.upsert(moved);
    r.erase(RecordKind::Customer, "id8");
    r.upsert(make_customer("new1", "新客户", "", "rep3", "丽水", 99'999));
    if (variant == 1) {
      vm.refresh(r, {.region = "舟山"});   // a filter by region reads every customer's facets
      REQUIRE(vm.count() == 1);
      CHECK(vm.id_at(0) == "id7");
      CHECK(vm.facets_ready());
    }
    if (variant == 2)
      for (int i = 0; i < 10; ++i) vm.refresh(r, {});   // idle refreshes read them a slice at a time
    vm.refresh(r, {});
    CHECK(vm.regions(r) == distinct(r, true));
    CHECK(vm.owners(r) == distinct(r, false));
    // The last customer of a region and of an owner goes: both leave the drop-downs.
    r.erase(RecordKind::Customer, "id7");
    r.erase(RecordKind::Customer, "new1");
    vm.refresh(r, {});
    CHECK(vm.regions(r) == distinct(r, true));
    CHECK(vm.owners(r) == distinct(r, false));
    vm.refresh(r, {.owner_id = "rep2"});
    CHECK(vm.count() == brute_force(r, {.owner_id = "rep2"}).size());
  }
}
