// An inverted index over normalised search keys (search_key.h) for the customers list (issue 5:
// typing a search over 50k customers, frame CPU p95 ≤ 4 ms).
//
// Why: a keystroke that starts a new query ("杭", "1", "王" after clearing the box) had to sweep every
// key — 3–4 ms in the browser for 50k customers, the tail of the typing benchmark — and an extension
// of a broad query ("13" after "1": 45k hits) rescanned almost as much. With postings per gram the
// work is proportional to the customers that can match.
//
// Grams: every code point of a key (a hanzi, a digit, a letter), and every pair of adjacent ASCII
// characters (digits and codes repeat a few characters everywhere; a pair is ~40× more selective
// than one digit). A key containing the query contains each of the query's grams, so the shortest
// posting list of the query's grams holds every match (a superset to verify with memmem); a query
// that IS one gram is answered by its list alone.
//
// Records are identified by a caller's slot number. Lists are append-only: a key indexed again after
// an edit adds its new grams (the superset property holds) and leaves stale entries behind, so the
// caller verifies such slots instead of trusting the list (see CustomerListVM::Entry::exact).
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cl::app {

class SearchIndex {
 public:
  // Adds `slot` to the lists of every gram of the normalised key (each gram once per call).
  void add(std::uint32_t slot, std::string_view key);
  void clear();

  struct Candidates {
    const std::vector<std::uint32_t>* slots = nullptr;  // nullptr: the query can't use the index
    // The next shortest list of another gram (or nullptr): a match is in both, so a slot missing
    // from it needs no verification (a bit test instead of a substring search).
    const std::vector<std::uint32_t>* also_in = nullptr;
    bool exact = false;  // the query is a single gram: every listed (unchanged) slot matches
  };
  // The shortest list among the grams of a non-empty normalised query, and the next shortest. An
  // empty list (no key has one of the grams) means no match at all.
  Candidates candidates(std::string_view query) const;

  std::size_t postings() const { return postings_; }  // list entries in all (memory, tests)

 private:
  const std::vector<std::uint32_t>* list(std::uint32_t gram) const;
  std::vector<std::uint32_t>& list_for_add(std::uint32_t gram);

  // Code points of the Basic Multilingual Plane and ASCII pairs in flat tables (one array access
  // per gram while 50k keys are indexed); the rest (rare supplementary hanzi) in a map.
  std::vector<std::vector<std::uint32_t>> bmp_;    // 0x10000 lists, allocated on first use
  std::vector<std::vector<std::uint32_t>> pairs_;  // 128 × 128 lists
  std::unordered_map<std::uint32_t, std::vector<std::uint32_t>> other_;
  std::vector<std::uint32_t> scratch_;             // one key's grams (dedup before appending)
  std::size_t postings_ = 0;
};

}  // namespace cl::app
