// Tag value counts kept from the replica's journal (tag_value_counts.h) equal a recount of every
// customer after adds, retags, tag removals, erasures and a cleared replica.
#include <doctest/doctest.h>

#include <map>
#include <string>

#include "app/vm/tag_value_counts.h"
#include "vm_search_corpus.h"

using namespace cl;
using namespace cl::app;

namespace {

std::map<std::string, int> recount(const LocalReplica& r, const std::string& group) {
  std::map<std::string, int> out;
  for (const auto& [id, c] : r.customers())
    if (auto it = c.tags.find(group); it != c.tags.end() && !it->second.empty()) ++out[it->second];
  return out;
}

}  // namespace

TEST_CASE("tag value counts follow added, retagged, untagged and erased customers like a full recount") {
  LocalReplica r = test::corpus_replica(500);
  TagValueCounts counts("customer_type");
  counts.sync(r);
  CHECK(counts.counts() == recount(r, "customer_type"));
  test::CorpusRng rng{3};
  for (int i = 500; i < 540; ++i) r.upsert(test::corpus_customer(i, rng));
  Customer retag = *r.customer("bw-c-000001");
  retag.tags["customer_type"] = "新类型";
  r.upsert(retag);
  Customer untag = *r.customer("bw-c-000002");
  untag.tags.erase("customer_type");
  r.upsert(untag);
  r.erase(RecordKind::Customer, "bw-c-000003");
  r.upsert(*r.customer("bw-c-000004"));  // unchanged rewrite
  counts.sync(r);
  CHECK(counts.counts() == recount(r, "customer_type"));
  CHECK(counts.counts().at("新类型") == 1);
  retag.tags["customer_type"] = "三甲医院";  // the only carrier leaves: the value disappears
  r.upsert(retag);
  counts.sync(r);
  CHECK(counts.counts() == recount(r, "customer_type"));
  CHECK(counts.counts().count("新类型") == 0);
  r.clear();
  r.upsert(test::corpus_customer(1, rng));
  counts.sync(r);
  CHECK(counts.counts() == recount(r, "customer_type"));
}
