// Customers list (issue 5): search-as-you-type over the local replica, filters by tag/owner/region.
#include <doctest/doctest.h>

#include "app/vm/customer_list_vm.h"
#include "app/vm/replica_snapshot.h"
#include "app/vm/search_key.h"
#include "vm_list_test_helpers.h"
#include "vm_test_fixtures.h"

using namespace cl;
using namespace cl::app;
using cl::app::test::make_customer;

TEST_CASE("search normalisation folds case, full-width letters and drops phone punctuation") {
  CHECK(normalize_search_text("ABC") == "abc");
  CHECK(normalize_search_text("ＡＢＣ１２３") == "abc123");
  CHECK(normalize_search_text("0571-8888 1234") == "057188881234");
  CHECK(normalize_search_text("（杭州）某医院") == "杭州某医院");
}

TEST_CASE("customer list finds a customer by name, code, phone or decision maker") {
  LocalReplica r;
  r.upsert(make_customer("1", "杭州某医疗器械有限公司", "0571-88881234"));
  r.upsert(make_customer("2", "宁波第一医院", "0574-12345678"));
  CustomerListVM vm;
  CustomerFilter f;
  vm.refresh(r, f);
  CHECK(vm.count() == 2);

  f.query = "医疗器械";
  vm.refresh(r, f);
  REQUIRE(vm.count() == 1);
  CHECK(vm.row(r, 0).name == "杭州某医疗器械有限公司");

  f.query = "c-2";  // code, different case
  vm.refresh(r, f);
  REQUIRE(vm.count() == 1);
  CHECK(vm.id_at(0) == "2");

  f.query = "05741234";  // phone typed without the dash
  vm.refresh(r, f);
  REQUIRE(vm.count() == 1);
  CHECK(vm.id_at(0) == "2");

  f.query = "张主任";
  vm.refresh(r, f);
  CHECK(vm.count() == 2);
}

TEST_CASE("a match never spans two fields of the search key") {
  LocalReplica r;
  r.upsert(make_customer("1", "宁波医院", "123"));
  CustomerListVM vm;
  vm.refresh(r, {.query = "医院c"});  // end of name + start of code
  CHECK(vm.count() == 0);
}

TEST_CASE("typing more characters narrows and deleting widens again") {
  LocalReplica r;
  r.upsert(make_customer("1", "杭州甲医院"));
  r.upsert(make_customer("2", "杭州乙诊所"));
  r.upsert(make_customer("3", "宁波丙医院"));
  CustomerListVM vm;
  vm.refresh(r, {.query = "杭"});
  CHECK(vm.count() == 2);
  vm.refresh(r, {.query = "杭州甲"});
  CHECK(vm.count() == 1);
  vm.refresh(r, {.query = "医院"});
  CHECK(vm.count() == 2);
  vm.refresh(r, {.query = ""});
  CHECK(vm.count() == 3);
}

TEST_CASE("customer list filters by owner, region and tag") {
  LocalReplica r;
  r.upsert(make_customer("1", "甲", "", "rep1", "杭州"));
  r.upsert(make_customer("2", "乙", "", "rep2", "宁波"));
  auto c3 = make_customer("3", "丙", "", "rep1", "宁波");
  c3.tags["customer_type"] = "经销商";
  r.upsert(c3);
  CustomerListVM vm;
  vm.refresh(r, {.owner_id = "rep1"});
  CHECK(vm.count() == 2);
  vm.refresh(r, {.region = "宁波"});
  CHECK(vm.count() == 2);
  vm.refresh(r, {.owner_id = "rep1", .region = "宁波"});
  CHECK(vm.count() == 1);
  vm.refresh(r, {.tag_group = "customer_type", .tag_value = "经销商"});
  REQUIRE(vm.count() == 1);
  CHECK(vm.id_at(0) == "3");
  CHECK(vm.regions(r) == std::vector<std::string>{"宁波", "杭州"});
}

TEST_CASE("customer list follows replica changes: new, edited and deleted customers") {
  LocalReplica r;
  r.upsert(make_customer("1", "杭州甲医院"));
  CustomerListVM vm;
  CustomerFilter f{.query = "杭州"};
  vm.refresh(r, f);
  CHECK(vm.count() == 1);

  r.upsert(make_customer("2", "杭州乙医院", "", "rep1", "杭州", 2000));
  vm.refresh(r, f);
  REQUIRE(vm.count() == 2);
  CHECK(vm.id_at(0) == "2");  // most recently changed first

  r.upsert(make_customer("1", "温州甲医院", "", "rep1", "杭州", 3000));
  vm.refresh(r, f);
  CHECK(vm.count() == 1);

  r.erase(RecordKind::Customer, "2");
  vm.refresh(r, f);
  CHECK(vm.count() == 0);
  vm.refresh(r, {});
  CHECK(vm.total() == 1);
}

TEST_CASE("a cleared replica (must refetch) rebuilds the list from scratch") {
  LocalReplica r;
  r.upsert(make_customer("1", "甲"));
  CustomerListVM vm;
  vm.refresh(r, {});
  r.clear();
  r.upsert(make_customer("9", "乙"));
  vm.refresh(r, {});
  REQUIRE(vm.count() == 1);
  CHECK(vm.id_at(0) == "9");
}

TEST_CASE("changes right after a rebuild (before any idle refresh) update the list: new, re-timed, erased") {
  // The id -> slot map is built lazily after a rebuild (a cold start's first frame skips it); the
  // first change must still find every record's slot.
  LocalReplica r;
  for (int i = 0; i < 50; ++i) {
    Customer c = make_customer("c" + std::to_string(i), "客户" + std::to_string(i));
    c.meta.updated_at = 1'000 + i;
    r.upsert(c);
  }
  CustomerListVM vm;
  CustomerFilter f;
  vm.refresh(r, f);
  REQUIRE(vm.count() == 50);
  CHECK(vm.id_at(0) == "c49");
  Customer touched = *r.customer("c7");
  touched.meta.updated_at = 5'000;
  r.upsert(touched);
  r.erase(RecordKind::Customer, "c49");
  r.upsert(make_customer("new", "新客户"));   // updated_at 0: last
  vm.refresh(r, f);
  CHECK(vm.count() == 50);
  CHECK(vm.id_at(0) == "c7");
  CHECK(vm.id_at(1) == "c48");
  CHECK(vm.id_at(49) == "new");
  f.query = "客户49";
  vm.refresh(r, f);
  CHECK(vm.count() == 0);
}

TEST_CASE("equal update times are ordered by id, whatever the ids' lengths and the prefix they share") {
  // The list sorts compact keys (update time, 8 id bytes after the prefix all ids share): the result
  // must be exactly most-recent-first, then std::string order of the ids.
  const std::vector<std::string> ids = {"KH-1", "KH-10", "KH-1000000000a", "KH-1000000000b", "KH-2", "KH-",
                                        "KH-10000000", "KH-100000000", "KH-0zzzzzzzzzzz", "KH-1\x7f", "KH-1\xe6\x9d\xad"};
  for (const bool with_outsider : {false, true}) {
    LocalReplica r;
    int n = 0;
    for (const auto& id : ids) {
      Customer c = make_customer(id, "客户" + std::to_string(n));
      c.meta.updated_at = (n++ % 3) ? 7'000 : 9'000;   // two groups of equal times
      r.upsert(c);
    }
    if (with_outsider) r.upsert(make_customer("a", "没有共同前缀"));   // no prefix shared by all
    CustomerListVM vm;
    vm.refresh(r, CustomerFilter{});
    const auto expected = cl::app::test::in_display_order(r);
    REQUIRE(vm.count() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      INFO("row " << i << (with_outsider ? " (with an id sharing no prefix)" : ""));
      CHECK(vm.id_at(i) == expected[i]->meta.id);
    }
  }
}

TEST_CASE("a cold start's list draws from a snapshot's undecoded customers: same order and rows, nothing decoded") {
  // Issue 5: the snapshot load defers the customers (LocalReplica::defer); the first frame lists
  // them from their ids and update times and reads only the rows it shows.
  LocalReplica source;
  for (int i = 0; i < 300; ++i) {
    Customer c = make_customer("c" + std::to_string(i), "客户" + std::to_string(i) + "号");
    c.meta.updated_at = 1'000 + i % 17;   // ties, ordered by id
    c.meta.owner_id = i % 2 ? "rep1" : "rep2";
    c.tags["region"] = i % 3 ? "杭州" : "宁波";
    source.upsert(c);
  }
  LocalReplica loaded;
  REQUIRE(decode_snapshot(encode_snapshot(source, {}, {1, 1}), loaded).has_value());
  REQUIRE(loaded.deferred_customers() == 300);

  CustomerListVM reference, vm;
  reference.refresh(source, {});
  vm.refresh(loaded, {});
  REQUIRE(vm.count() == 300);
  CHECK(test::shown(vm) == test::shown(reference));
  for (std::size_t i = 0; i < 30; ++i) {
    const CustomerRow a = vm.row(loaded, i), b = reference.row(source, i);
    CHECK(a.id == b.id);
    CHECK(a.name == b.name);
    CHECK(a.code == b.code);
    CHECK(a.phone == b.phone);
    CHECK(a.owner_id == b.owner_id);
    CHECK(a.region == b.region);
  }
  vm.refresh(loaded, {});   // an idle refresh: the warming waits for the replica's own slices
  CHECK(loaded.deferred_customers() == 300);
  CHECK_FALSE(vm.keys_ready());

  SUBCASE("a write meanwhile lands in the list; the rows stay right") {
    Customer moved = *source.customer("c5");
    moved.meta.updated_at = 9'999;
    moved.name = "刚改过";
    loaded.upsert(moved);
    vm.refresh(loaded, {});
    CHECK(vm.id_at(0) == "c5");
    CHECK(vm.row(loaded, 0).name == "刚改过");
    CHECK(vm.count() == 300);
    CHECK(loaded.deferred_customers() == 300);
  }
  SUBCASE("a search decodes them and finds the same customers") {
    CustomerFilter f;
    f.query = "客户12";
    vm.refresh(loaded, f);
    reference.refresh(source, f);
    CHECK(test::shown(vm) == test::shown(reference));
    CHECK(vm.count() == 11);   // 客户12号, 客户120…129号
    CHECK(loaded.deferred_customers() == 0);
  }
  SUBCASE("after the slices, idle refreshes warm the keys and facets as before") {
    loaded.decode_deferred(1000);
    for (int i = 0; i < 3; ++i) vm.refresh(loaded, {});
    CHECK(vm.keys_ready());
    CHECK(vm.facets_ready());
    CHECK(vm.regions(loaded) == std::vector<std::string>{"宁波", "杭州"});
    CHECK(test::shown(vm) == test::shown(reference));
  }
}
