// A compact binary snapshot of the local replica (issue 5: cold start with 50k customers + 50k
// activities). Loading the pulled pages means parsing ~50 MB of JSON text, copying every record out
// of the DOM and decoding it — seconds in the browser. The snapshot holds the same records already
// decoded (byte_codec.h), so a cold start reads one IndexedDB value and fills the replica directly.
//
// It is a cache, never the source of truth: the JSON pages stay in storage. A snapshot stands for
// "every stored page with key ≤ page_key, at page generation page_generation" — the base records
// (what the server sent; never optimistic writes: the client writes a snapshot only while nothing
// is pending) plus the page index compaction needs. Storage hands it out only while its page
// generation is unchanged (compaction and must_refetch bump it), and the load then adds the pages
// written after page_key. Anything wrong with it — another format, another schema, a different
// model layout, a bad checksum, truncation — and the caller falls back to the pages.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/vm/local_replica.h"
#include "app/vm/page_compaction.h"

namespace cl::app {

struct SnapshotInfo {
  std::int64_t page_key = 0;          // covers the stored pages with key ≤ this
  std::int64_t page_generation = 0;   // valid only while storage's page generation is this
  friend bool operator==(const SnapshotInfo&, const SnapshotInfo&) = default;
};

// Format version, schema version and a fingerprint of the record structs' layout: stored beside the
// bytes so storage can skip a snapshot written by another build without reading it.
const std::string& snapshot_format_tag();

// The replica's records (all kinds) and the page index, with the header and a checksum.
std::string encode_snapshot(const LocalReplica& replica, const std::vector<StoredPageInfo>& pages, SnapshotInfo info);

struct DecodedSnapshot {
  SnapshotInfo info;
  std::vector<StoredPageInfo> pages;
};

// Checks the whole snapshot (checksum, then header), then clears `replica` and fills it. nullopt —
// with `replica` left empty when it was touched — when the bytes can't be trusted. The customers
// and activities are checked but handed over undecoded (LocalReplica::defer): the replica decodes
// them when first read, or when the app is idle. `owner`, if given, is the string `bytes` views: the replica
// then takes it (moved, left empty) rather than copying the activities' bytes out of it.
std::optional<DecodedSnapshot> decode_snapshot(std::string_view bytes, LocalReplica& replica, std::string* owner = nullptr);

}  // namespace cl::app
