// Heap warm-up for a returning user's start (issue 5 cold start). Decoding a 50k-customer replica
// allocates ~1M blocks from memory the page has never touched: every new wasm page is a page fault
// and the heap grows a fifth at a time; under node that made a first decode ~30 ms slower than a
// second one in the same memory. Between main() and the shell's IndexedDB read coming back the main
// thread mostly waits, so meanwhile it touches as much heap as the last start of this device had in
// use at its first interactive frame (remembered in localStorage), and dlmalloc hands those warm
// pages to the decode. In slices of a few MB, yielding to the event loop between them, and only
// until the read is back: the decode never waits for the warm-up. No hint (a first visit, an empty
// replica) means no warm-up, so such a start pays nothing.
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
constexpr std::size_t kMaxWarmBytes = 256u << 20;   // a corrupt or absurd hint must not eat the tab
constexpr std::size_t kSliceBytes = 4u << 20;       // ~5 ms of page faults per event-loop turn

// The shell's read (web/shell.js), held here: the app adopts and clears window.closeloopEarlyIdb.
EM_JS(int, js_warm_watch_early_read, (), {
  const e = window.closeloopEarlyIdb;
  Module.clHeapWarmRead = e && e.read ? e : null;
  return Module.clHeapWarmRead ? 1 : 0;
});
EM_JS(int, js_early_read_waiting, (), {
  const e = Module.clHeapWarmRead;
  return e && !e.readDone ? 1 : 0;
});

std::size_t g_target = 0;   // bytes to warm, from the heap's start of free space
std::size_t g_done = 0;
bool g_noted = false;

// One slice: the block is allocated and freed around each touch so that, whenever the read comes
// back, the decode finds it free (dlmalloc gives the same top-of-heap block every time).
void warm_slice(void*) {
  if (g_done >= g_target || !js_early_read_waiting()) {
    perf_mark("closeloop-heap-warmed");
    return;
  }
  auto* p = static_cast<volatile char*>(std::malloc(g_target));
  if (!p) return;
  const std::size_t end = std::min(g_target, g_done + kSliceBytes);
  for (std::size_t i = g_done; i < end; i += 4096) p[i] = 0;   // one write per page: now resident
  std::free(const_cast<char*>(p));
  g_done = end;
  emscripten_async_call(warm_slice, nullptr, 0);
}

}  // namespace

void warm_heap_from_hint() {
  const double want = std::atof(local_storage_get(kHintKey).c_str());
  const std::size_t have = emscripten_get_heap_size();
  if (!(want > static_cast<double>(have + kMinWarmBytes)) || !js_warm_watch_early_read()) return;
  g_target = std::min(static_cast<std::size_t>(want) - have, kMaxWarmBytes);
  g_done = 0;
  warm_slice(nullptr);
}

// Bytes in use, not the heap's size: a heap warmed to the hint never shrinks. At the first
// interactive frame, the moment a start is timed to. mallinfo() walks every block (~3 ms for 1M),
// so once per page load.
void note_heap_in_use() {
  if (g_noted) return;
  g_noted = true;
  const struct mallinfo mi = mallinfo();
  local_storage_set(kHintKey, std::to_string(static_cast<unsigned long>(mi.uordblks)));
}

}  // namespace cl::platform::detail
