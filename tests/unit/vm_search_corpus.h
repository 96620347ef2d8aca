// A customer corpus like the one the browser benchmark seeds (bench/web_lib.js syntheticCustomer):
// city + hospital names with districts and branch numbers, mobiles, landlines, people, addresses,
// codes — so the search tests and bench/app_customer_search_bench.cpp see the character and digit
// distributions a real 50k-customer replica has (many shared hanzi, digits in every key).
// Deterministic: a seeded generator, no <random> (the tests run natively and as wasm alike).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/vm/local_replica.h"
#include "core/model.h"

namespace cl::app::test {

struct CorpusRng {
  std::uint32_t a;
  std::uint32_t next() {  // mulberry32, as web_lib.js
    a += 0x6D2B79F5u;
    std::uint32_t t = a;
    t = (t ^ (t >> 15)) * (t | 1u);
    t ^= t + (t ^ (t >> 7)) * (t | 61u);
    return t ^ (t >> 14);
  }
  template <class T>
  const T& pick(const std::vector<T>& v) { return v[next() % v.size()]; }
};

inline std::string pad(std::uint64_t n, std::size_t width) {
  std::string s = std::to_string(n);
  return s.size() >= width ? s : std::string(width - s.size(), '0') + s;
}

// Customer i of the corpus; `updated_at` repeats every 97 records so equal times (ordered by id) occur.
inline Customer corpus_customer(int i, CorpusRng& rng) {
  static const std::vector<std::string> regions = {"杭州", "宁波", "温州", "绍兴", "嘉兴", "湖州", "金华", "台州", "舟山", "上海", "苏州", "南京"};
  static const std::vector<std::string> mids = {"康泰", "华东", "仁和", "博爱", "同济", "安康", "瑞金", "明州", "协和", "东方",
                                                "济世", "德仁", "长庚", "恒生", "新华", "永康", "天和", "广济", "普济", "惠民"};
  static const std::vector<std::string> tails = {"第一人民医院", "中医院", "妇幼保健院", "口腔诊所", "骨科医院", "体检中心",
                                                 "医疗器械有限公司", "医药贸易有限公司", "眼科医院", "社区卫生服务中心"};
  static const std::vector<std::string> types = {"三甲医院", "二级医院", "民营医院", "民营诊所", "经销商"};
  static const std::vector<std::string> districts = {"西湖", "滨江", "鄞州", "鹿城", "越城", "南湖", "吴兴", "婺城", "椒江", "浦东"};
  static const std::vector<std::string> surnames = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙"};
  static const std::vector<std::string> given = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "秀英", "建华", "志强"};
  static const std::vector<std::string> owners = {"rep1", "rep2", "rep3", "rep4", "rep5", "rep6", "rep7"};
  static const std::vector<std::string> prefixes = {"138", "139", "150", "158", "186", "189"};
  Customer c;
  const std::string& region = rng.pick(regions);
  c.meta.id = "bw-c-" + pad(static_cast<std::uint64_t>(i), 6);
  c.meta.owner_id = rng.pick(owners);
  c.meta.version = 1;
  c.meta.created_at = 1'700'000'000'000 + i;
  c.meta.updated_at = 1'700'000'000'000 + (i % 97) * 1000;
  c.code = "KH-0A1-" + pad(static_cast<std::uint64_t>(i + 1), 6);
  c.name = region + rng.pick(mids) + rng.pick(tails) + "（" + rng.pick(districts) + std::to_string(1 + rng.next() % 80) + "分部）";
  c.phone = rng.pick(prefixes) + pad(static_cast<std::uint64_t>(i) * 1237 % 70000000, 8);
  c.decision_maker = rng.pick(surnames) + rng.pick(given);
  c.address = region + "市" + rng.pick(districts) + "区" + std::to_string(1 + rng.next() % 800) + "号";
  c.contacts.push_back({rng.pick(surnames) + rng.pick(given), "主任", "0571-8" + pad(static_cast<std::uint64_t>(i) * 7919 % 10000000, 7), false});
  c.tags["region"] = region;
  c.tags["customer_type"] = rng.pick(types);
  return c;
}

inline LocalReplica corpus_replica(int n, std::uint32_t seed = 20261127) {
  CorpusRng rng{seed};
  LocalReplica r;
  for (int i = 0; i < n; ++i) r.upsert(corpus_customer(i, rng));
  return r;
}

}  // namespace cl::app::test
