#include "app/vm/search_index.h"

#include <algorithm>

namespace cl::app {
namespace {

constexpr std::uint32_t kInvalid = ~0u;
constexpr std::uint32_t kPairTag = 0x200000;  // above every code point

// Strict UTF-8: one code point at s[i] (advances i); kInvalid for a byte that doesn't start a
// well-formed sequence. Keys keep such bytes as they are (search_key.cpp); they are not indexed, and a
// query containing one is answered without the index.
std::uint32_t next_cp(std::string_view s, std::size_t& i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  std::size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
  if (n == 0 || i + n > s.size()) { ++i; return kInvalid; }
  std::uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1Fu) : n == 3 ? (c & 0x0Fu) : (c & 0x07u);
  for (std::size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) { ++i; return kInvalid; }
    cp = (cp << 6) | (b(i + k) & 0x3Fu);
  }
  i += n;
  return cp;
}

// The grams of `text` in order (duplicates kept); false if it holds a byte that isn't UTF-8.
bool grams_of(std::string_view text, std::vector<std::uint32_t>& out) {
  bool ok = true;
  std::uint32_t prev = kInvalid;
  for (std::size_t i = 0; i < text.size();) {
    const std::uint32_t cp = next_cp(text, i);
    if (cp == kInvalid) { ok = false; prev = kInvalid; continue; }
    out.push_back(cp);
    if (prev < 0x80 && cp < 0x80) out.push_back(kPairTag | (prev << 7) | cp);
    prev = cp;
  }
  return ok;
}

const std::vector<std::uint32_t> kNone;

}  // namespace

std::vector<std::uint32_t>& SearchIndex::list_for_add(std::uint32_t gram) {
  if (gram & kPairTag) {
    if (pairs_.empty()) pairs_.resize(128 * 128);
    return pairs_[gram & 0x3FFF];
  }
  if (gram < 0x10000) {
    if (bmp_.empty()) bmp_.resize(0x10000);
    return bmp_[gram];
  }
  return other_[gram];
}

const std::vector<std::uint32_t>* SearchIndex::list(std::uint32_t gram) const {
  if (gram & kPairTag) return pairs_.empty() ? &kNone : &pairs_[gram & 0x3FFF];
  if (gram < 0x10000) return bmp_.empty() ? &kNone : &bmp_[gram];
  auto it = other_.find(gram);
  return it == other_.end() ? &kNone : &it->second;
}

void SearchIndex::add(std::uint32_t slot, std::string_view key) {
  scratch_.clear();
  grams_of(key, scratch_);  // bytes that aren't UTF-8 are skipped (see next_cp)
  // A gram repeated in the key finds the slot already at the end of its list (nothing else is
  // appended in between): cheaper than sorting the key's grams to deduplicate them.
  for (std::uint32_t g : scratch_) {
    auto& l = list_for_add(g);
    if (l.empty() || l.back() != slot) {
      l.push_back(slot);
      ++postings_;
    }
  }
}

void SearchIndex::clear() {
  bmp_.clear();
  pairs_.clear();
  other_.clear();
  postings_ = 0;
}

SearchIndex::Candidates SearchIndex::candidates(std::string_view query) const {
  std::vector<std::uint32_t> grams;
  if (query.empty() || !grams_of(query, grams)) return {};
  const std::vector<std::uint32_t>*best = nullptr, *second = nullptr;
  for (std::uint32_t g : grams) {
    const auto* l = list(g);
    if (l == best || l == second) continue;  // a gram repeated in the query
    if (!best || l->size() < best->size()) {
      second = best;
      best = l;
    } else if (!second || l->size() < second->size()) {
      second = l;
    }
  }
  // One code point, or two ASCII characters (their pair gram follows the two unigrams).
  const bool one_gram = grams.size() == 1 || (grams.size() == 3 && (grams[2] & kPairTag));
  const bool exact = one_gram && best == list(grams.back());
  return {best, exact ? nullptr : second, exact};
}

}  // namespace cl::app
