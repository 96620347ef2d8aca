// A pulled page (GET /api/v1/sync/pull) or a stored page (its "changes" array) decoded for the
// local replica — issue 5's first sync spent most of its time here: nlohmann built a DOM of 1,000
// records per page (a std::map node and a string copy per member), the wire decoder read it, core's
// codec copied every string out again into the typed record, and the DOM was destroyed.
//
// The fast path streams the text through nlohmann's SAX interface (json::sax_parse: the same lexer,
// so the same JSON is accepted and refused) straight into Customer / Activity records, the kinds
// that make up nearly all of a rep's replica. It decodes only what it recognises completely: any
// other record kind (not a tombstone), any member with an unexpected type, null where a value is
// required, a duplicate member, a record core's codec would refuse, malformed JSON — and the whole
// text goes through the reference path instead (DOM parse + sync/wire.h + core/codec.h, as before),
// whose result is by definition the old behaviour. So the fast path never decides anything the DOM
// path would decide differently; it only skips building what it does not need. Small members
// (cursor, has_more, last_mid, rejections, conflicts) are collected as JSON and read by the wire
// decoder itself. Tests compare both paths over varied pages (pull_page_test.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "app/vm/local_replica.h"
#include "core/model.h"
#include "core/problem.h"
#include "sync/wire.h"

namespace cl::app {

// One wire Change (sync::Change) whose record is either decoded already (fast path) or still JSON
// (reference path, or a kind the fast path leaves to core's codec).
struct PulledChange {
  std::string type;
  Id id;
  bool deleted = false;
  std::int64_t version = 0;
  std::variant<sync::Json, Customer, Activity> record;
};

struct PulledPage {
  std::vector<PulledChange> changes;
  sync::PullResponse rest;    // everything but the changes (rest.changes stays empty)
  bool fast = false;          // the streaming path decoded it
};

// The body of a pull reply. Fails exactly when sync::pull_response_from_json(parse(body)) fails
// (problems as the reference path reports them).
Result<PulledPage> decode_pull_page(std::string_view body);
// A stored page: the JSON array of wire Changes. Fails when it is not an array; each change the wire
// decoder refuses is reported and left out (as the load path always did).
Result<std::vector<PulledChange>> decode_stored_changes(std::string_view text, bool* fast = nullptr);

// The reference paths (DOM), used when the fast path declines; public for the tests.
Result<PulledPage> decode_pull_page_dom(std::string_view body);
Result<std::vector<PulledChange>> decode_stored_changes_dom(std::string_view text);

// Upsert or remove one change (replica_codec.h's apply_change for PulledChange; the record is moved out).
Problems apply_pulled(LocalReplica& replica, PulledChange& change);

}  // namespace cl::app
