// core/json_text.h writes what nlohmann's dump(-1, ' ', false, replace) writes: stored records and
// pulls carry that text, so a record written without its tree must be byte for byte the tree's dump.
#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "core/codec.h"
#include "core/json_text.h"
#include "sync_fixtures.h"

using nlohmann::json;
using namespace cl;
using namespace cl::sync;
using namespace cl::sync::testing;

namespace {

std::string reference(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string literal(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

// A replica view whose store says it keeps text, as the server's push cache does.
class TextKeepingView final : public MapView {
 public:
  using MapView::MapView;
  bool keeps_text() const override { return true; }
};

}  // namespace

TEST_SUITE("json text") {

TEST_CASE("a string literal is nlohmann's, whatever byte sits wherever in an eight-byte run") {
  // Every byte value at every offset of the first two eight-byte words, in runs long enough for the
  // word-at-a-time copy: escapes, control characters, DEL, lone UTF-8 bytes (replaced, as nlohmann does).
  for (int byte = 0; byte < 256; ++byte) {
    for (std::size_t at = 0; at < 17; ++at) {
      std::string s(20, 'a');
      s[at] = static_cast<char>(byte);
      CAPTURE(byte);
      CAPTURE(at);
      REQUIRE(literal(s) == reference(json(s)));
    }
  }
  // Lengths around the word size and the stack buffer (256), Chinese and escapes mixed in.
  const std::string pieces[] = {"杭", "a", "\"", "\\", "\n", "\x01", "😀", "/", "\x7f"};
  for (std::size_t len = 0; len < 300; ++len) {
    std::string s;
    for (std::size_t i = 0; s.size() < len; ++i) s += pieces[(i * 7 + len) % 9];
    CAPTURE(len);
    REQUIRE(literal(s) == reference(json(s)));
  }
  CHECK(literal("") == "\"\"");
  CHECK(literal("bad \xff utf-8 after a long plain run of ascii") == reference(json("bad \xff utf-8 after a long plain run of ascii")));
  CHECK(valid_utf8("杭州😀 plain"));
  CHECK_FALSE(valid_utf8("truncated \xe4\xb8"));
}

TEST_CASE("an object written as text is the tree's dump when the keys come sorted") {
  JsonTextObject o;
  o.put("a", std::string("杭州 \"q\"")).put("b", std::int64_t{-42}).put("c", true).put("d", 7).put("e", false);
  CHECK(o.take() == reference(json{{"a", "杭州 \"q\""}, {"b", -42}, {"c", true}, {"d", 7}, {"e", false}}));
  CHECK(JsonTextObject().take() == "{}");
}

TEST_CASE("an activity as text is byte for byte the dump of its tree") {
  Activity plain;
  Activity full;
  full.meta = RecordMeta{"a-019ac879", "rep1", 1764300000123, 1764300000999, 3, true};
  full.kind = ActivityKind::Visit;
  full.at = std::numeric_limits<std::int64_t>::min();
  full.customer_id = "c1";
  full.opportunity_id = "o1";
  full.lead_id = "l1";
  full.summary = "拜访采购科：\"确认预算\"\n下周\t复诊 \\ 备注\x01 😀";
  full.outcome = "bad \xff utf-8";  // never stored (bodies are checked), still written as nlohmann would
  for (const Activity& a : {plain, full}) {
    CAPTURE(reference(encode(a)));
    CHECK(to_json_text(a) == reference(encode(a)));
  }
}

TEST_CASE("activity.log writes text for a view that keeps text, and the tree for a replica") {
  World w = world_with_customer_of(rep1());
  const Mutation m = mutation(2, kActivityLog, {{"activity", {{"id", "a1"}, {"kind", "visit"}, {"customer_id", "c1"}, {"summary", "拜访采购科"}}}});
  MapView tree_view(w.records, teams());
  TextKeepingView text_view(w.records, teams());
  auto as_tree = apply_mutation(m, rep1(), tree_view, w.settings, w.now);
  auto as_text = apply_mutation(m, rep1(), text_view, w.settings, w.now);
  REQUIRE(as_tree.ok());
  REQUIRE(as_text.ok());
  REQUIRE(as_tree.value.writes.size() == 1);
  REQUIRE(as_text.value.writes.size() == 1);
  const StoredRecord& t = as_tree.value.writes[0];
  const StoredRecord& x = as_text.value.writes[0];
  CHECK(t.text.empty());
  CHECK(t.data["summary"] == "拜访采购科");
  CHECK(x.data.is_null());
  CHECK(x.text == reference(t.data));
  CHECK((x.type == t.type && x.id == t.id && x.owner_id == t.owner_id && x.version == t.version && x.deleted == t.deleted));
  // Other mutations still write trees for the same view (only the hot write has a text encoder).
  auto del = apply_mutation(mutation(3, kCustomerUpdate, {{"id", "c1"}, {"set", {{"address", "西湖区"}}}}, 1), rep1(), text_view, w.settings, w.now);
  REQUIRE(del.ok());
  REQUIRE(del.value.writes.size() == 1);
  CHECK(del.value.writes[0].text.empty());
  CHECK(del.value.writes[0].data["address"] == "西湖区");
}

}  // TEST_SUITE
