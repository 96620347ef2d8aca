// The customers search's index (search_index.h), its prepared matcher (QueryMatcher) and the list's
// stable-slot ordering, each checked against a straightforward reference — every customer's key
// searched with memmem, sorted by (updated_at desc, id) — over a generated replica shaped like the
// benchmark's 50k customers (vm_search_corpus.h): Chinese, phone, code and pinyin queries typed
// character by character, Backspace, edits in the middle, and replica changes between keystrokes.
// The fast paths may never show a different list, or a different order, than the reference.
#include <doctest/doctest.h>

#include <string.h>

#include <algorithm>
#include <string>
#include <vector>

#include "app/vm/customer_list_vm.h"
#include "app/vm/search_index.h"
#include "app/vm/search_key.h"
#include "vm_list_test_helpers.h"
#include "vm_search_corpus.h"

using namespace cl;
using namespace cl::app;
using cl::app::test::shown;
using cl::app::test::typed;
using cl::app::test::corpus_customer;
using cl::app::test::corpus_replica;
using cl::app::test::CorpusRng;

namespace {

std::vector<Id> reference(const LocalReplica& r, const CustomerFilter& f) {
  const std::vector<const Customer*> all = cl::app::test::in_display_order(r);
  const std::string q = normalize_search_text(f.query);
  std::vector<Id> out;
  for (const Customer* c : all) {
    auto tag = [&](const std::string& g) {
      auto it = c->tags.find(g);
      return it == c->tags.end() ? std::string() : it->second;
    };
    if (!f.owner_id.empty() && c->meta.owner_id != f.owner_id) continue;
    if (!f.region.empty() && tag("region") != f.region) continue;
    if (!f.tag_group.empty() && (!c->tags.count(f.tag_group) || (!f.tag_value.empty() && tag(f.tag_group) != f.tag_value)))
      continue;
    const std::string key = customer_search_key(*c);
    if (!q.empty() && ::memmem(key.data(), key.size(), q.data(), q.size()) == nullptr) continue;
    out.push_back(c->meta.id);
  }
  return out;
}

// Types `text` after `start` one character at a time, then Backspaces back to `start`, checking the
// list after every keystroke.
void type_and_delete(CustomerListVM& vm, const LocalReplica& r, CustomerFilter f, const std::string& start,
                     const std::string& text) {
  std::vector<std::string> states;
  for (const auto& p : typed(text)) states.push_back(start + p);
  const std::vector<std::string> typed = states;
  for (auto it = typed.rbegin() + 1; it != typed.rend(); ++it) states.push_back(*it);
  states.push_back(start);
  for (const auto& q : states) {
    f.query = q;
    vm.refresh(r, f);
    REQUIRE_MESSAGE(shown(vm) == reference(r, f), "query: " << q);
  }
}

// A warmed list: every key built and indexed (what the idle frames after a start do).
void warm(CustomerListVM& vm, const LocalReplica& r) {
  for (int i = 0; i < 1000 && !vm.keys_ready(); ++i) vm.refresh(r, {});
}

}  // namespace

TEST_CASE("the prepared query matcher agrees with memmem on keys, hanzi, digits and misses") {
  const LocalReplica r = corpus_replica(300);
  std::vector<std::string> keys;
  for (const auto& [id, c] : r.customers()) keys.push_back(customer_search_key(c));
  std::vector<std::string> needles = {"", "1", "杭", "杭州", "第一人民医院", "138", "0571", "kh0a1", "区1", "号", "zz",
                                      "分部）", "\x1f", "1380", std::string(300, 'a')};
  // Substrings of real keys at every length up to 12 bytes, some not on character boundaries.
  for (std::size_t k = 0; k < 40; ++k)
    for (std::size_t len = 1; len <= 12; ++len) needles.push_back(keys[k].substr(k % 7, len));
  int matches = 0;
  for (const auto& n : needles) {
    const QueryMatcher m(n);
    for (const auto& key : keys) {
      const bool expected = n.empty() || ::memmem(key.data(), key.size(), n.data(), n.size()) != nullptr;
      REQUIRE_MESSAGE(m.in(key) == expected, "needle: " << n);
      matches += expected;
    }
  }
  CHECK(matches > 1000);  // the needles really hit keys, not only miss them
}

TEST_CASE("an index's shortest list holds every match, and a one-gram query's list is exactly the matches") {
  const LocalReplica r = corpus_replica(500);
  std::vector<std::string> keys;
  SearchIndex index;
  for (const auto& [id, c] : r.customers()) {
    index.add(static_cast<std::uint32_t>(keys.size()), customer_search_key(c));
    keys.push_back(customer_search_key(c));
  }
  for (const std::string q : {"杭", "1", "13", "kh", "王", "杭州", "第一人民", "1380", "0a", "k", "号", "分部"}) {
    const auto cand = index.candidates(normalize_search_text(q));
    REQUIRE(cand.slots != nullptr);
    const std::string n = normalize_search_text(q);
    std::vector<std::uint32_t> matches, listed(cand.slots->begin(), cand.slots->end());
    for (std::uint32_t s = 0; s < keys.size(); ++s)
      if (::memmem(keys[s].data(), keys[s].size(), n.data(), n.size())) matches.push_back(s);
    std::sort(listed.begin(), listed.end());
    CHECK_MESSAGE(std::includes(listed.begin(), listed.end(), matches.begin(), matches.end()), q);
    if (cand.exact) CHECK_MESSAGE(listed == matches, q);
    if (cand.also_in) {  // every match is in the second list too
      std::vector<std::uint32_t> second(cand.also_in->begin(), cand.also_in->end());
      std::sort(second.begin(), second.end());
      CHECK(std::includes(second.begin(), second.end(), matches.begin(), matches.end()));
    }
  }
  CHECK(index.candidates(normalize_search_text("杭")).exact);
  CHECK(index.candidates("13").exact);
  CHECK_FALSE(index.candidates("138").exact);
  CHECK(index.candidates("绝无此字").slots->empty());  // a gram no key has: no match at all
  CHECK(index.candidates("\xe6\x9d").slots == nullptr);  // half a hanzi: not answered by the index
  CHECK(index.candidates("").slots == nullptr);
}

TEST_CASE("typing and deleting Chinese, phone, code and pinyin queries over a benchmark-like replica shows the reference list") {
  const LocalReplica r = corpus_replica(3000);
  CustomerListVM vm;
  vm.refresh(r, {});
  warm(vm, r);
  REQUIRE(vm.keys_ready());
  for (const std::string text : {"杭州康泰", "第一人民医院", "1380572", "138", "0571-8", "KH-0A1-0012", "kh0a10001",
                                 "hangzhou", "王伟", "西湖区1", "宁波安康口腔诊所（鄞州", "号", "１３８"})
    type_and_delete(vm, r, {}, "", text);
  // Editing inside a query (not an extension, not a Backspace to a typed prefix).
  for (const std::string q : {"杭州康泰", "杭州泰", "温州泰", "温州", "州", "1", "11", "1", "21", ""}) {
    vm.refresh(r, {.query = q});
    REQUIRE_MESSAGE(shown(vm) == reference(r, {.query = q}), q);
  }
}

TEST_CASE("the fast paths keep owner, region and tag filters, and the index is what answers new queries") {
  const LocalReplica r = corpus_replica(3000);
  CustomerListVM vm;
  warm(vm, r);
  vm.refresh(r, {.query = "杭"});
  CHECK(vm.last_scan() == ListScan::Full);
  CHECK(vm.last_used_index());
  for (const CustomerFilter base : {CustomerFilter{.owner_id = "rep3"}, CustomerFilter{.region = "杭州"},
                                    CustomerFilter{.tag_group = "customer_type", .tag_value = "三甲医院"},
                                    CustomerFilter{.owner_id = "rep1", .region = "宁波"}}) {
    type_and_delete(vm, r, base, "", "杭州第一人民");
    type_and_delete(vm, r, base, "", "13805");
  }
}

TEST_CASE("records changed between keystrokes — renamed, re-timed, reassigned, erased, re-created, added — show at once and in order") {
  LocalReplica r = corpus_replica(2000);
  CustomerListVM vm;
  warm(vm, r);
  CorpusRng rng{99};
  CustomerFilter f{.query = "杭州"};
  vm.refresh(r, f);
  int step = 0;
  auto next_key = [&](const std::string& q) {
    f.query = q;
    vm.refresh(r, f);
    REQUIRE_MESSAGE(shown(vm) == reference(r, f), "step " << step << " query " << q);
    ++step;
  };
  // Renamed into the query and moved to the top.
  Customer c = *r.customer("bw-c-000010");
  c.name = "杭州新开第一人民医院";
  c.meta.updated_at = 1'800'000'000'000;
  r.upsert(c);
  next_key("杭州新");
  // Renamed out of it, keeping its time (its stale postings must not bring it back).
  c.name = "舟山海岛诊所";
  r.upsert(c);
  next_key("杭州新开");
  next_key("杭州");
  next_key("舟山海岛");
  // Re-timed older, reassigned, erased, re-created, brand new.
  Customer d = *r.customer("bw-c-000020");
  d.meta.updated_at = 1;
  d.meta.owner_id = "rep9";
  r.upsert(d);
  next_key("杭");
  f.owner_id = "rep9";
  next_key("");
  f.owner_id.clear();
  r.erase(RecordKind::Customer, "bw-c-000030");
  next_key("1");
  r.upsert(corpus_customer(30, rng));  // back, with other fields
  next_key("13");
  for (int i = 2000; i < 2100; ++i) r.upsert(corpus_customer(i, rng));
  next_key("138");
  next_key("13");
  next_key("王");
  // The same record written again changes nothing.
  r.upsert(*r.customer("bw-c-000040"));
  vm.refresh(r, f);
  CHECK(vm.last_scan() == ListScan::None);
}

TEST_CASE("many edits of the same records trigger a rebuild that still shows the reference list") {
  LocalReplica r = corpus_replica(200);
  CustomerListVM vm;
  warm(vm, r);
  CorpusRng rng{5};
  for (int round = 0; round < 12; ++round) {
    for (int i = 0; i < 100; ++i) {
      Customer c = corpus_customer(i, rng);
      c.meta.updated_at += round;  // re-timed and re-named each round
      r.upsert(c);
    }
    const std::string q = round % 2 ? "杭" : "1";
    vm.refresh(r, {.query = q});
    REQUIRE(shown(vm) == reference(r, {.query = q}));
  }
  type_and_delete(vm, r, {}, "", "杭州康泰");
}

TEST_CASE("records changed while keys are still warming are searched with their new keys") {
  LocalReplica r = corpus_replica(5000);
  CustomerListVM vm;
  vm.refresh(r, {});
  REQUIRE_FALSE(vm.keys_ready());
  CorpusRng rng{11};
  Customer early = *r.customer(vm.id_at(vm.count() - 1));  // whatever slot: renamed before and after warming passes it
  early.name = "舟山普陀医院";
  r.upsert(early);
  vm.refresh(r, {});
  for (int i = 0; i < 3; ++i) vm.refresh(r, {});
  Customer late = *r.customer("bw-c-000001");
  late.name = "舟山定海医院";
  r.upsert(late);
  r.upsert(corpus_customer(6000, rng));
  vm.refresh(r, {.query = "舟山"});
  CHECK(vm.keys_ready());
  CHECK(shown(vm) == reference(r, {.query = "舟山"}));
  type_and_delete(vm, r, {}, "", "舟山定海");
}
