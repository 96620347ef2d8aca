# Shared by scripts/run, scripts/test and scripts/build: where things are and how to build them.
# Both trees build incrementally (Ninja), so a second run only recompiles what changed.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export NODE_PATH=/usr/share/nodejs   # Debian's emscripten needs Debian's acorn (TOOLCHAIN.md)
JOBS="${CLOSELOOP_JOBS:-$(nproc)}"

log() { printf '\033[1m[closeloop]\033[0m %s\n' "$*" >&2; }

build_native() {   # $1 = preset (native | asan)
  local preset="${1:-native}"
  if [ ! -f "$ROOT/build/$preset/build.ninja" ]; then
    cmake --preset "$preset" -S "$ROOT" >"$ROOT/build/configure-$preset.log" 2>&1 || {
      cat "$ROOT/build/configure-$preset.log" >&2; return 1; }
  fi
  cmake --build "$ROOT/build/$preset" -j "$JOBS"
}

build_wasm() {
  if [ ! -f "$ROOT/build/wasm/build.ninja" ]; then
    cmake --preset wasm -S "$ROOT" >"$ROOT/build/configure-wasm.log" 2>&1 || {
      cat "$ROOT/build/configure-wasm.log" >&2; return 1; }
  fi
  cmake --build "$ROOT/build/wasm" -j "$JOBS"
}
