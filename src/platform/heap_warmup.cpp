// Heap warm-up for a returning user's start (issue 5 cold start). Decoding a 50k-customer replica
// allocates ~1M blocks from memory the page has never touched: every new wasm page is a page fault
// and the heap grows a fifth at a time, and under node that made the first decode ~30 ms slower than
// a second one in the same memory. The start already waits for IndexedDB's answer after main() with
// the main thread mostly idle, so it touches, meanwhile, as much heap as the last start of this
// device ended up using (remembered in localStorage), and dlmalloc hands those warm pages to the
// decode. No hint (a first visit, an empty replica) means no warm-up: such a start pays nothing.
#include <emscripten.h>
#include <emscripten/heap.h>
#include <malloc.h>

#include <algorithm>
#include <cstdlib>
#include <string>

#include "platform/browser.h"
#include "platform/platform_internal.h"

namespace cl::platform::detail {
namespace {

constexpr const char* kHintKey = "closeloop.heapInUse";
constexpr std::size_t kMinWarmBytes = 8u << 20;     // below this the faults cost less than a check
constexpr std::size_t kMaxWarmBytes = 512u << 20;   // a corrupt or absurd hint must not eat the tab

bool g_noted = false;

}  // namespace

void warm_heap_from_hint() {
  const std::string hint = local_storage_get(kHintKey);
  const double want = std::atof(hint.c_str());
  const std::size_t have = emscripten_get_heap_size();
  if (!(want > static_cast<double>(have + kMinWarmBytes))) return;
  const std::size_t n = std::min(static_cast<std::size_t>(want) - have, kMaxWarmBytes);
  auto* p = static_cast<volatile char*>(std::malloc(n));
  if (!p) return;
  for (std::size_t i = 0; i < n; i += 4096) p[i] = 0;   // one write per wasm-memory page: it is now resident
  std::free(const_cast<char*>(p));
  perf_mark("closeloop-heap-warmed");
}

// Bytes in use, not the heap's size: a heap warmed to the hint never shrinks, and a first sync's
// transient buffers are not what the next start needs. mallinfo() walks every block (~3 ms for 1M),
// so once per page load.
void note_heap_in_use() {
  if (g_noted) return;
  g_noted = true;
  const struct mallinfo mi = mallinfo();
  local_storage_set(kHintKey, std::to_string(static_cast<unsigned long>(mi.uordblks)));
}

}  // namespace cl::platform::detail
