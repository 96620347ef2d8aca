#include "core/dedup.h"

#include <algorithm>
#include <array>

#include "core/phone.h"
#include "core/utf8.h"

namespace cl {
namespace {

std::u32string decode_utf8(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    char32_t cp;
    size_t len;
    if (c < 0x80) { cp = c; len = 1; }
    else if ((c >> 5) == 6) { cp = c & 0x1F; len = 2; }
    else if ((c >> 4) == 14) { cp = c & 0x0F; len = 3; }
    else if ((c >> 3) == 30) { cp = c & 0x07; len = 4; }
    else { ++i; continue; }  // stray continuation byte: skip
    if (i + len > s.size()) break;
    for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    out.push_back(cp);
    i += len;
  }
  return out;
}

std::string encode_utf8(std::u32string_view s) {
  std::string out;
  out.reserve(s.size() * 3);
  for (char32_t cp : s) append_utf8(out, cp);
  return out;
}

bool is_punctuation_or_space(char32_t cp) {
  if (cp < 0x80) return !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'));
  return cp == 0x00B7 || (cp >= 0x2000 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F) ||
         (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFFEF);
}

// Provinces and province-level cities (full-name forms first so 省 is consumed).
const std::array<std::u32string_view, 18> kProvinces = {
    U"浙江", U"江苏", U"上海", U"安徽", U"福建", U"江西", U"山东", U"北京", U"天津",
    U"广东", U"湖北", U"湖南", U"河南", U"河北", U"四川", U"重庆", U"广西", U"云南"};
// Prefecture-level cities of East China, where the reference customers sell.
const std::array<std::u32string_view, 40> kCities = {
    U"杭州", U"宁波", U"温州", U"绍兴", U"嘉兴", U"湖州", U"金华", U"衢州", U"舟山", U"台州",
    U"丽水", U"义乌", U"苏州", U"南京", U"无锡", U"常州", U"南通", U"扬州", U"镇江", U"徐州",
    U"盐城", U"泰州", U"连云港", U"淮安", U"宿迁", U"合肥", U"芜湖", U"蚌埠", U"马鞍山", U"安庆",
    U"福州", U"厦门", U"泉州", U"济南", U"青岛", U"南昌", U"上海", U"北京", U"天津", U"重庆"};
const std::array<std::u32string_view, 14> kSuffixes = {
    U"股份有限公司", U"有限责任公司", U"有限公司", U"集团公司", U"集团", U"总公司", U"公司",
    U"coltd", U"ltd", U"limited", U"inc", U"corp", U"co", U"company"};

constexpr size_t kMinCore = 2;  // never strip a name down to less than two characters

bool starts_with(std::u32string_view s, std::u32string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::u32string_view s, std::u32string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

// Strips one leading place name (optionally followed by 省/市/自治区) into `out`.
template <size_t N>
bool strip_prefix(std::u32string& s, const std::array<std::u32string_view, N>& places, std::u32string& out) {
  for (auto p : places) {
    if (!starts_with(s, p)) continue;
    size_t len = p.size();
    if (s.size() > len && (s[len] == U'省' || s[len] == U'市')) ++len;
    if (s.size() - len < kMinCore) return false;
    out = std::u32string(p);
    s.erase(0, len);
    return true;
  }
  return false;
}

std::uint64_t bigram_key(char32_t a, char32_t b) { return (static_cast<std::uint64_t>(a) << 21) | b; }

bool places_compatible(const NormalizedName& a, const NormalizedName& b) {
  if (!a.city.empty() && !b.city.empty() && a.city != b.city) return false;
  if (!a.province.empty() && !b.province.empty() && a.province != b.province) return false;
  return true;
}

void collect_phones(const Customer& c, std::vector<std::string>& out) {
  if (!c.phone.empty()) out.push_back(c.phone);
  for (const auto& ct : c.contacts)
    if (!ct.phone.empty()) out.push_back(ct.phone);
}

// Exact-match keys (dedup.h). A landline typed with its area code matches the same number typed
// without one (and the other way round): hence the "l:" (filed) / "o:" (local only) pair.
constexpr char kNameKey = 'n', kPhoneKey = 'p', kLandlineLocalKey = 'l', kLocalOnlyKey = 'o';

std::string key_of(char kind, std::string_view value) {
  std::string k;
  k.reserve(value.size() + 2);
  k.push_back(kind);
  k.push_back(':');
  k.append(value);
  return k;
}

void phone_index_keys(const NormalizedPhone& n, std::vector<std::string>& out) {
  if (!n.valid()) return;
  if (n.kind == PhoneKind::LocalOnly) out.push_back(key_of(kLocalOnlyKey, n.local));
  else out.push_back(key_of(kPhoneKey, n.digits));
  if (n.kind == PhoneKind::Landline) out.push_back(key_of(kLandlineLocalKey, n.local));
}

void phone_probe_keys(const NormalizedPhone& n, std::vector<std::string>& out) {
  if (!n.valid()) return;
  if (n.kind == PhoneKind::LocalOnly) {
    out.push_back(key_of(kLocalOnlyKey, n.local));
    out.push_back(key_of(kLandlineLocalKey, n.local));
  } else {
    out.push_back(key_of(kPhoneKey, n.digits));
    if (n.kind == PhoneKind::Landline) out.push_back(key_of(kLocalOnlyKey, n.local));
  }
}

void sort_unique(std::vector<std::string>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

void index_keys(const NormalizedName& name, const std::vector<std::string>& phones, std::vector<std::string>& out) {
  if (!name.core.empty()) out.push_back(key_of(kNameKey, name.core));
  for (const auto& p : phones) phone_index_keys(normalize_phone(p), out);
  sort_unique(out);  // a key names an entry once, however many of its phones share it
}

}  // namespace

NormalizedName normalize_company_name(std::string_view name) {
  std::u32string in = decode_utf8(name), s;
  s.reserve(in.size());
  for (char32_t cp : in) {
    if (cp >= 0xFF01 && cp <= 0xFF5E) cp -= 0xFEE0;  // full-width ASCII → half-width
    if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
    if (is_punctuation_or_space(cp)) continue;
    s.push_back(cp);
  }
  std::u32string province, city;
  strip_prefix(s, kProvinces, province);
  strip_prefix(s, kCities, city);
  if (province.empty() && !city.empty()) {
    // 上海/北京… are both: treat a province-level city as the province too.
    for (auto p : kProvinces)
      if (p == city) province = city;
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (auto suf : kSuffixes) {
      if (ends_with(s, suf) && s.size() - suf.size() >= kMinCore) {
        s.erase(s.size() - suf.size());
        changed = true;
      }
    }
    // "华东医药(杭州)有限公司": the bracketed city is now at the end.
    for (auto c : kCities) {
      if (ends_with(s, c) && s.size() - c.size() >= kMinCore && (city.empty() || city == std::u32string(c))) {
        s.erase(s.size() - c.size());
        city = std::u32string(c);
        changed = true;
        break;
      }
    }
  }
  return {encode_utf8(s), encode_utf8(province), encode_utf8(city)};
}

std::string_view reason_code(DuplicateReason r) {
  switch (r) {
    case DuplicateReason::SamePhone: return "same_phone";
    case DuplicateReason::SameName: return "same_name";
    case DuplicateReason::SimilarName: return "similar_name";
  }
  return "";
}
std::string reason_zh(DuplicateReason r) {
  switch (r) {
    case DuplicateReason::SamePhone: return "电话相同";
    case DuplicateReason::SameName: return "名称相同";
    case DuplicateReason::SimilarName: return "名称相似";
  }
  return "";
}
std::string reason_en(DuplicateReason r) {
  switch (r) {
    case DuplicateReason::SamePhone: return "same phone number";
    case DuplicateReason::SameName: return "same name";
    case DuplicateReason::SimilarName: return "similar name";
  }
  return "";
}

DuplicateIndex::DuplicateIndex(const std::vector<Customer>& customers) {
  entries_.reserve(customers.size());
  for (const auto& c : customers) add(c);
}

void DuplicateIndex::add(const Customer& c) {
  if (c.meta.deleted) return;
  auto idx = static_cast<std::uint32_t>(entries_.size());
  Entry e;
  e.id = c.meta.id;
  e.code = c.code;
  e.name = c.name;
  e.key = normalize_company_name(c.name);
  collect_phones(c, e.phones);
  e.core32 = decode_utf8(e.key.core);
  std::vector<std::string> keys;
  index_keys(e.key, e.phones, keys);
  for (auto& k : keys) by_key_[std::move(k)].push_back(idx);
  for (size_t i = 0; i + 1 < e.core32.size(); ++i) {
    auto& posting = by_bigram_[bigram_key(e.core32[i], e.core32[i + 1])];
    if (posting.empty() || posting.back() != idx) {  // count each distinct bigram once per name
      posting.push_back(idx);
      ++e.bigrams;
    }
  }
  entries_.push_back(std::move(e));
}

std::vector<DuplicateCandidate> DuplicateIndex::find(const Customer& candidate, size_t limit) const {
  struct Hit {
    bool phone = false, name = false;
    int similarity = 0;
    std::string phone_text;
  };
  std::unordered_map<std::uint32_t, Hit> hits;
  auto skip = [&](std::uint32_t i) { return !candidate.meta.id.empty() && entries_[i].id == candidate.meta.id; };

  // Phones.
  std::vector<std::string> phones;
  collect_phones(candidate, phones);
  for (const auto& text : phones) {
    NormalizedPhone n = normalize_phone(text);
    if (!n.valid()) continue;
    std::vector<std::string> keys;
    phone_probe_keys(n, keys);
    for (const auto& k : keys) {
      auto it = by_key_.find(k);
      if (it == by_key_.end()) continue;
      for (auto i : it->second) {
        if (skip(i)) continue;
        Hit& h = hits[i];
        h.phone = true;
        if (h.phone_text.empty())
          for (const auto& p : entries_[i].phones) {
            NormalizedPhone q = normalize_phone(p);
            if (q.digits == n.digits || q.local == n.local) { h.phone_text = p; break; }
          }
      }
    }
  }

  // Names.
  NormalizedName key = normalize_company_name(candidate.name);
  if (!key.core.empty()) {
    if (auto it = by_key_.find(key_of(kNameKey, key.core)); it != by_key_.end())
      for (auto i : it->second)
        if (!skip(i) && places_compatible(key, entries_[i].key)) {
          Hit& h = hits[i];
          h.name = true;
          h.similarity = 100;
        }
    std::u32string core = decode_utf8(key.core);
    std::vector<std::uint64_t> grams;
    for (size_t i = 0; i + 1 < core.size(); ++i) grams.push_back(bigram_key(core[i], core[i + 1]));
    std::sort(grams.begin(), grams.end());
    grams.erase(std::unique(grams.begin(), grams.end()), grams.end());
    if (!grams.empty()) {
      std::unordered_map<std::uint32_t, std::uint32_t> shared;
      for (auto g : grams)
        if (auto it = by_bigram_.find(g); it != by_bigram_.end())
          for (auto i : it->second) ++shared[i];
      for (const auto& [i, n] : shared) {
        const Entry& e = entries_[i];
        if (skip(i) || !places_compatible(key, e.key)) continue;
        int dice = static_cast<int>(200 * n / (grams.size() + e.bigrams));
        bool contains = false;
        const std::u32string& shorter = core.size() <= e.core32.size() ? core : e.core32;
        const std::u32string& longer = core.size() <= e.core32.size() ? e.core32 : core;
        if (shorter.size() >= 4 && longer.find(shorter) != std::u32string::npos) contains = true;
        if (dice >= 70 || contains) {
          Hit& h = hits[i];
          h.similarity = std::max(h.similarity, std::max(dice, contains ? 80 : 0));
        }
      }
    }
  }

  std::vector<DuplicateCandidate> out;
  out.reserve(hits.size());
  for (const auto& [i, h] : hits) {
    DuplicateCandidate c;
    c.customer_id = entries_[i].id;
    c.code = entries_[i].code;
    c.name = entries_[i].name;
    if (h.phone) c.reasons.push_back(DuplicateReason::SamePhone);
    if (h.name) c.reasons.push_back(DuplicateReason::SameName);
    else if (h.similarity > 0) c.reasons.push_back(DuplicateReason::SimilarName);
    c.similarity_pct = h.similarity;
    c.matched_phone = h.phone_text;
    out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const DuplicateCandidate& a, const DuplicateCandidate& b) {
    bool ea = a.reasons.front() != DuplicateReason::SimilarName, eb = b.reasons.front() != DuplicateReason::SimilarName;
    if (ea != eb) return ea;
    if (a.reasons.size() != b.reasons.size()) return a.reasons.size() > b.reasons.size();
    if (a.similarity_pct != b.similarity_pct) return a.similarity_pct > b.similarity_pct;
    return a.customer_id < b.customer_id;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

std::vector<DuplicateCandidate> find_duplicate_candidates(const Customer& candidate,
                                                          const std::vector<Customer>& existing) {
  return DuplicateIndex(existing).find(candidate);
}

std::vector<std::string> duplicate_index_keys(const Customer& c) {
  std::vector<std::string> out;
  if (c.meta.deleted) return out;
  std::vector<std::string> phones;
  collect_phones(c, phones);
  index_keys(normalize_company_name(c.name), phones, out);
  return out;
}

std::vector<std::string> duplicate_probe_keys(const Customer& candidate) {
  std::vector<std::string> out;
  NormalizedName name = normalize_company_name(candidate.name);
  if (!name.core.empty()) out.push_back(key_of(kNameKey, name.core));
  std::vector<std::string> phones;
  collect_phones(candidate, phones);
  for (const auto& p : phones) phone_probe_keys(normalize_phone(p), out);
  sort_unique(out);
  return out;
}

}  // namespace cl
