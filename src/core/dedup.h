// R5: duplicate candidates before a customer is saved — by normalised name and by phone.
//
// Name normalisation (normalize_company_name):
//   full-width → half-width, ASCII lower-case; whitespace and punctuation (ASCII, CJK 、。（）【】「」
//   ·— …) removed; legal-form suffixes removed repeatedly (股份有限公司 有限责任公司 有限公司 集团 公司
//   co ltd inc …); leading province/city prefixes (浙江省 浙江 杭州市 杭州 …) and a trailing city in
//   brackets ("华东医药(杭州)") are removed but REMEMBERED: 杭州市第一人民医院 and 宁波市第一人民医院
//   share the core 第一人民医院 yet are different hospitals, so two names only match when their cores
//   are equal and their places don't contradict (equal, or one side names no place).
// Phones: normalize_phone (phone.h); a landline typed without area code matches on its local part.
// Similar names: character-bigram Dice coefficient ≥ 0.7 on the cores, or one core containing the
// other (≥ 4 characters), with non-contradicting places.
//
// Build a DuplicateIndex once over the replica (50k customers: tens of ms) and query it per keystroke
// pause or per save; find_duplicate_candidates() is the one-shot convenience.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/model.h"

namespace cl {

struct NormalizedName {
  std::string core;      // "第一人民医院"
  std::string province;  // "浙江" (without 省), or ""
  std::string city;      // "杭州" (without 市), or ""
};
NormalizedName normalize_company_name(std::string_view name);

enum class DuplicateReason { SamePhone, SameName, SimilarName };
std::string_view reason_code(DuplicateReason r);  // "same_phone" "same_name" "similar_name"
std::string reason_zh(DuplicateReason r);          // 电话相同 / 名称相同 / 名称相似
std::string reason_en(DuplicateReason r);

struct DuplicateCandidate {
  Id customer_id;
  std::string code;
  std::string name;
  std::vector<DuplicateReason> reasons;  // strongest first
  int similarity_pct = 0;                // name similarity 0–100 (100 for the same name)
  std::string matched_phone;             // the existing record's phone that matched, if any
};

class DuplicateIndex {
 public:
  DuplicateIndex() = default;
  explicit DuplicateIndex(const std::vector<Customer>& customers);
  void add(const Customer& c);  // deleted (tombstoned) customers are skipped
  size_t size() const { return entries_.size(); }

  // Candidates for `candidate` (its own id is excluded, so an edit doesn't match itself): exact
  // phone/name matches first, then similar names by similarity; at most `limit`.
  std::vector<DuplicateCandidate> find(const Customer& candidate, size_t limit = 20) const;

 private:
  struct Entry {
    Id id;
    std::string code, name;
    NormalizedName key;
    std::vector<std::string> phones;  // as typed, parallel to phone_digits
    std::u32string core32;
    std::uint32_t bigrams = 0;
  };
  std::vector<Entry> entries_;
  std::unordered_map<std::string, std::vector<std::uint32_t>> by_key_;  // duplicate_index_keys → entries
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> by_bigram_;
};

std::vector<DuplicateCandidate> find_duplicate_candidates(const Customer& candidate,
                                                          const std::vector<Customer>& existing);

// Exact-match keys ("n:<name core>", "p:<phone digits>", "l:<landline local part>", "o:<number typed
// without area code>"). A customer is filed under its index keys; a candidate looks up its probe keys.
// Every same-phone or same-name hit of DuplicateIndex::find shares at least one key with the
// candidate (the index itself is built on these keys), so a store can keep the index keys in a table
// and check a new customer against the few customers its probe keys name instead of all of them.
std::vector<std::string> duplicate_index_keys(const Customer& c);      // none for a tombstone
std::vector<std::string> duplicate_probe_keys(const Customer& candidate);

}  // namespace cl
