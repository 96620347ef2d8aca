#include "server/evidence_store.h"

#include <sodium.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <system_error>

#include "server/extras_sqlite.h"

namespace cl::server {

namespace fs = std::filesystem;
using xsql::Stmt;

std::optional<std::string> sniff_evidence_type(std::string_view b) {
  auto starts = [&](std::string_view magic) { return b.substr(0, magic.size()) == magic; };
  if (starts("%PDF-")) return "application/pdf";
  if (starts("\xFF\xD8\xFF")) return "image/jpeg";
  if (starts(std::string_view("\x89PNG\r\n\x1A\n", 8))) return "image/png";
  // ISO-BMFF: [size:4]["ftyp"][major brand:4] — HEIC/HEIF brands as written by iPhones and Android.
  if (b.size() >= 12 && b.substr(4, 4) == "ftyp") {
    auto brand = b.substr(8, 4);
    for (std::string_view heic : {"heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"})
      if (brand == heic) return "image/heic";
  }
  return std::nullopt;
}

bool is_sha256_hex(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

fs::path evidence_path(const EvidenceConfig& cfg, std::string_view sha) {
  // Only ever called with a verified 64-hex hash, so no component can be "..", "/" or empty.
  return cfg.root / std::string(sha.substr(0, 2)) / std::string(sha.substr(2));
}

std::optional<EvidenceMeta> evidence_meta(sqlite3* db, std::string_view sha) {
  Stmt s(db, "SELECT sha256, size_bytes, mime_type, first_uploaded_by, created_at FROM evidence_files WHERE sha256=?");
  s.bind(1, sha);
  if (!s.step()) return std::nullopt;
  return EvidenceMeta{s.text(0), s.i64(1), s.text(2), s.text(3), s.i64(4)};
}

bool evidence_uploaded_by(sqlite3* db, std::string_view sha, const std::string& user_id) {
  Stmt s(db, "SELECT 1 FROM evidence_uploads WHERE sha256=? AND user_id=?");
  s.bind(1, sha).bind(2, user_id);
  return s.step();
}

namespace {

// Write to a temporary file in the same folder, fsync, then rename: a reader never sees half a file
// and a crash never leaves a truncated file under a valid hash.
bool write_atomically(const fs::path& target, std::string_view bytes) {
  std::error_code ec;
  fs::create_directories(target.parent_path(), ec);
  if (ec) return false;
  unsigned char rnd[8];
  randombytes_buf(rnd, sizeof rnd);
  char hex[17];
  sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
  fs::path tmp = target.parent_path() / (std::string(".tmp-") + hex);
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) return false;
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  ok = std::fflush(f) == 0 && ok;
  ok = ::fsync(::fileno(f)) == 0 && ok;
  std::fclose(f);
  if (ok) fs::rename(tmp, target, ec);
  if (!ok || ec) {
    fs::remove(tmp, ec);
    return false;
  }
  return true;
}

}  // namespace

EvidencePutResult evidence_put(sqlite3* db, const EvidenceConfig& cfg, std::string_view claimed, std::string_view bytes,
                               const std::string& uploader_id, Instant now) {
  EvidencePutResult r;
  if (!is_sha256_hex(claimed)) return {400, "invalid_hash", {}};
  if (static_cast<std::int64_t>(bytes.size()) > cfg.max_bytes) return {413, "too_large", {}};
  if (sha256_hex(bytes) != claimed) return {400, "hash_mismatch", {}};
  auto type = sniff_evidence_type(bytes);
  if (!type) return {415, "unsupported_type", {}};

  const std::string sha(claimed);
  auto existing = evidence_meta(db, sha);
  const fs::path path = evidence_path(cfg, sha);
  std::error_code ec;
  bool file_ok = fs::exists(path, ec) && static_cast<std::int64_t>(fs::file_size(path, ec)) == static_cast<std::int64_t>(bytes.size());
  if (!file_ok && !write_atomically(path, bytes)) throw std::runtime_error("evidence: cannot write file");

  xsql::Savepoint sp(db, "evidence_put");
  if (!existing) {
    Stmt s(db, "INSERT INTO evidence_files(sha256, size_bytes, mime_type, first_uploaded_by, created_at) "
               "VALUES(?,?,?,?,?) ON CONFLICT(sha256) DO NOTHING");
    s.bind(1, sha).bind(2, static_cast<std::int64_t>(bytes.size())).bind(3, *type).bind(4, uploader_id).bind(5, now);
    s.run();
  }
  Stmt u(db, "INSERT INTO evidence_uploads(sha256, user_id, uploaded_at) VALUES(?,?,?) "
             "ON CONFLICT(sha256, user_id) DO NOTHING");
  u.bind(1, sha).bind(2, uploader_id).bind(3, now).run();
  sp.commit();

  r.status = existing ? 200 : 201;
  r.meta = existing ? *existing : EvidenceMeta{sha, static_cast<std::int64_t>(bytes.size()), *type, uploader_id, now};
  return r;
}

std::optional<std::string> evidence_read(const EvidenceConfig& cfg, std::string_view sha) {
  if (!is_sha256_hex(sha)) return std::nullopt;
  std::ifstream in(evidence_path(cfg, sha), std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace cl::server
