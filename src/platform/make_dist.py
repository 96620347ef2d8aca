#!/usr/bin/env python3
"""Assemble the ready-to-serve web app folder (<wasm build>/dist) — TEAM.md contract:
index.html, app.js, app.wasm, fonts, sw.js, manifest, icons, and precompressed .br/.gz copies.

Fonts come from Debian font packages at build time (nothing committed):
  fonts/latin.ttf      DejaVu Sans subset (Latin, punctuation, arrows, shapes)      first paint
  fonts/cjk-common.ttf Droid Sans Fallback subset: GB2312 level-1 hanzi (3,755) +
                       every non-ASCII character in the app's sources               first paint
  fonts/cjk-full.ttf   Droid Sans Fallback, complete                      fetched after first frame
Quick when nothing changed: each output is rebuilt only when its inputs changed.
"""
import argparse
import gzip
import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

LATIN_TTF = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
CJK_TTF = Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")
LATIN_UNICODES = ("U+0020-007E,U+00A0-00FF,U+2010-2027,U+2030-203A,U+20AC,U+2190-2195,U+2212,U+2260-2265,"
                  "U+25A0-25FF,U+2713-2717,U+FFFD")


def log(msg):
    print(f"[dist] {msg}", flush=True)


def newer(out: Path, *inputs: Path) -> bool:
    """True when `out` exists and is newer than every input."""
    if not out.exists():
        return False
    t = out.stat().st_mtime
    return all(p.stat().st_mtime <= t for p in inputs if p.exists())


def copy_if_changed(src: Path, dst: Path):
    if dst.exists() and dst.stat().st_size == src.stat().st_size and newer(dst, src):
        return
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dst)


def write_if_changed(dst: Path, data: bytes):
    if dst.exists() and dst.read_bytes() == data:
        return
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_bytes(data)


def pyftsubset(args):
    exe = shutil.which("pyftsubset")
    if exe:
        cmd = [exe]
    else:
        # Debian's python3-fonttools (the module) under Debian's python, whatever python3 is first in PATH.
        py = next((p for p in ("/usr/bin/python3", sys.executable) if p and Path(p).exists()
                   and subprocess.run([p, "-c", "import fontTools.subset"], capture_output=True).returncode == 0), None)
        if not py:
            sys.exit("[dist] ERROR: fontTools not found — install Debian's python3-fonttools (scripts/setup does).")
        cmd = [py, "-m", "fontTools.subset"]
    subprocess.run([*cmd, *args], check=True)


def gb2312_level1():
    chars = []
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.append(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def app_text(source: Path):
    """Every non-ASCII character the app itself can show (i18n table, screens, HTML shell)."""
    text = set()
    roots = [source / "src" / "app", source / "web", source / "src" / "core"]
    for root in roots:
        for p in root.rglob("*"):
            if p.suffix in {".cpp", ".h", ".html", ".js"} and p.is_file():
                for ch in p.read_text(encoding="utf-8", errors="ignore"):
                    if ord(ch) > 0x7F:
                        text.add(ch)
    return text


def build_fonts(source: Path, build: Path, fonts: Path):
    fonts.mkdir(parents=True, exist_ok=True)
    for f in (LATIN_TTF, CJK_TTF):
        if not f.exists():
            sys.exit(f"[dist] ERROR: {f} missing — install fonts-dejavu-core and fonts-droid-fallback (scripts/setup).")
    latin = fonts / "latin.ttf"
    if not newer(latin, LATIN_TTF, Path(__file__)):
        log("subsetting DejaVu Sans → fonts/latin.ttf")
        pyftsubset([str(LATIN_TTF), f"--unicodes={LATIN_UNICODES}", f"--output-file={latin}",
                    "--layout-features=", "--no-hinting", "--desubroutinize"])
    # CJK first-paint subset: the text set decides; rebuild only when it changed.
    chars = set(gb2312_level1()) | app_text(source)
    chars |= {chr(c) for c in range(0x3000, 0x3040)} | {chr(c) for c in range(0xFF01, 0xFF5F)}
    text = "".join(sorted(chars))
    stamp = build / "cjk-common.chars.txt"
    common = fonts / "cjk-common.ttf"
    if not (stamp.exists() and stamp.read_text(encoding="utf-8") == text and newer(common, CJK_TTF, stamp)):
        log(f"subsetting Droid Sans Fallback → fonts/cjk-common.ttf ({len(chars)} characters)")
        stamp.write_text(text, encoding="utf-8")
        pyftsubset([str(CJK_TTF), f"--text-file={stamp}", f"--output-file={common}",
                    "--no-hinting", "--desubroutinize", "--notdef-outline"])
    copy_if_changed(CJK_TTF, fonts / "cjk-full.ttf")


# --- icons: a teal rounded square with a white ring ("closed loop"), drawn without any library ---
def png_bytes(size: int) -> bytes:
    teal = (15, 118, 110)
    rows = []
    c = (size - 1) / 2.0
    r_out, r_in = size * 0.30, size * 0.19
    radius = size * 0.18
    for y in range(size):
        row = bytearray([0])
        for x in range(size):
            # rounded-square mask (maskable icons are fine with a full square too)
            dx = max(radius - x, 0, x - (size - 1 - radius))
            dy = max(radius - y, 0, y - (size - 1 - radius))
            inside = dx * dx + dy * dy <= radius * radius
            d = ((x - c) ** 2 + (y - c) ** 2) ** 0.5
            ring = r_in <= d <= r_out and not (x > c and abs(y - c) < size * 0.05)
            if not inside:
                row += bytes([0, 0, 0, 0])
            elif ring:
                row += bytes([255, 255, 255, 255])
            else:
                row += bytes([*teal, 255])
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def compress(path: Path):
    """Precompressed copies the server sends when the browser accepts them."""
    br, gz = path.with_name(path.name + ".br"), path.with_name(path.name + ".gz")
    if not newer(gz, path):
        with open(path, "rb") as f, gzip.GzipFile(gz, "wb", compresslevel=9, mtime=0) as g:
            shutil.copyfileobj(f, g)
    if not newer(br, path):
        brotli = shutil.which("brotli")
        if brotli:
            subprocess.run([brotli, "-f", "-q", "11", "-o", str(br), str(path)], check=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--source", required=True, type=Path)
    ap.add_argument("--build", required=True, type=Path)
    ap.add_argument("--app-js", required=True, type=Path)
    ap.add_argument("--out", required=True, type=Path)
    a = ap.parse_args()
    out = a.out
    out.mkdir(parents=True, exist_ok=True)
    web = a.source / "web"

    copy_if_changed(a.app_js, out / "app.js")
    copy_if_changed(a.app_js.with_suffix(".wasm"), out / "app.wasm")
    build_fonts(a.source, a.build, out / "fonts")
    copy_if_changed(a.source / "assets" / "icon.svg", out / "icon.svg")
    write_if_changed(out / "icon-192.png", png_bytes(192))
    write_if_changed(out / "icon-512.png", png_bytes(512))

    # Build hash over everything the service worker caches: a new deployment = a new cache.
    shell_files = ["index.html", "shell.js", "app.js", "app.wasm", "fonts/latin.ttf", "fonts/cjk-common.ttf",
                   "fonts/cjk-full.ttf", "manifest.webmanifest", "icon.svg", "icon-192.png", "icon-512.png"]
    h = hashlib.sha256()
    for name in ("app.js", "app.wasm", "fonts/latin.ttf", "fonts/cjk-common.ttf", "fonts/cjk-full.ttf"):
        h.update((out / name).read_bytes())
    for name in ("index.html", "shell.js", "sw.js", "manifest.webmanifest"):
        h.update((web / name).read_bytes())
    build_id = h.hexdigest()[:12]

    index = (web / "index.html").read_text(encoding="utf-8").replace("{{BUILD}}", build_id)
    write_if_changed(out / "index.html", index.encode("utf-8"))
    sw = (web / "sw.js").read_text(encoding="utf-8").replace("{{BUILD}}", build_id)
    sw = sw.replace("'{{SHELL_FILES}}'", json.dumps(["./"] + shell_files))
    write_if_changed(out / "sw.js", sw.encode("utf-8"))
    copy_if_changed(web / "manifest.webmanifest", out / "manifest.webmanifest")
    copy_if_changed(web / "shell.js", out / "shell.js")

    sizes = {}
    for name in ("app.js", "app.wasm", "fonts/latin.ttf", "fonts/cjk-common.ttf", "fonts/cjk-full.ttf", "index.html", "sw.js"):
        p = out / name
        compress(p)
        sizes[name] = {"raw": p.stat().st_size, "gzip": (out / (name + ".gz")).stat().st_size,
                       "brotli": (out / (name + ".br")).stat().st_size if (out / (name + ".br")).exists() else None}
    write_if_changed(out / "build.json", json.dumps({"build": build_id, "sizes": sizes}, indent=1).encode())
    total_br = sizes["app.js"]["brotli"] + sizes["app.wasm"]["brotli"]
    log(f"build {build_id}: app.wasm {sizes['app.wasm']['raw']//1024} KB (br {sizes['app.wasm']['brotli']//1024} KB), "
        f"app.js {sizes['app.js']['raw']//1024} KB (br {sizes['app.js']['brotli']//1024} KB), js+wasm br {total_br//1024} KB; "
        f"first-paint fonts br {(sizes['fonts/latin.ttf']['brotli'] + sizes['fonts/cjk-common.ttf']['brotli'])//1024} KB")


if __name__ == "__main__":
    main()
