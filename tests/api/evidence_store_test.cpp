// R10: the evidence store refuses what it must (bad or mismatched hash, too big, wrong type) and
// stores the rest content-addressed, idempotently. The hash oracle is sha256sum, not our code.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "extras_receivers.h"
#include "server/evidence_store.h"

using namespace cl;
using namespace cl::server;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/cl-evidence-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::string png_bytes() {
  std::string b("\x89PNG\r\n\x1A\n", 8);
  b += std::string("\0\0\0\rIHDR", 8) + "some image bytes 图";
  return b;
}

std::string sha256sum(const std::string& bytes, const fs::path& dir) {
  auto f = dir / "oracle.bin";
  std::ofstream(f, std::ios::binary) << bytes;
  auto out = test::run_capture("sha256sum '" + f.string() + "'");
  fs::remove(f);
  return out.substr(0, 64);
}

const Instant kNow = 1'795'000'000'000;

}  // namespace

TEST_CASE("evidence types are recognised by their magic bytes, not by what the client claims") {
  CHECK(sniff_evidence_type("%PDF-1.7\n…") == "application/pdf");
  CHECK(sniff_evidence_type("\xFF\xD8\xFF\xE0 JFIF") == "image/jpeg");
  CHECK(sniff_evidence_type(png_bytes()) == "image/png");
  CHECK(sniff_evidence_type(std::string("\0\0\0\x18" "ftypheic\0\0\0\0", 16)) == "image/heic");
  CHECK(sniff_evidence_type(std::string("\0\0\0\x18" "ftypmp42\0\0\0\0", 16)) == std::nullopt);  // a video
  CHECK(sniff_evidence_type("<html><script>") == std::nullopt);
  CHECK(sniff_evidence_type("PK\x03\x04 docx") == std::nullopt);
}

TEST_CASE("our SHA-256 agrees with sha256sum") {
  TempDir dir;
  auto bytes = png_bytes();
  CHECK(sha256_hex(bytes) == sha256sum(bytes, dir.path));
}

TEST_CASE("a verified upload is stored under its hash, and uploading it again changes nothing") {
  TempDir dir;
  test::TestDb db;
  EvidenceConfig cfg{dir.path / "evidence"};
  auto bytes = png_bytes();
  auto sha = sha256sum(bytes, dir.path);
  auto first = evidence_put(db.db, cfg, sha, bytes, "rep1", kNow);
  CHECK(first.status == 201);
  CHECK(first.meta.mime_type == "image/png");
  auto path = cfg.root / sha.substr(0, 2) / sha.substr(2);
  CHECK(fs::exists(path));
  CHECK(evidence_read(cfg, sha) == bytes);
  auto again = evidence_put(db.db, cfg, sha, bytes, "rep1", kNow + 1000);
  CHECK(again.status == 200);
  CHECK(again.meta.created_at == kNow);
  // A second uploader of the same bytes is recorded too (they may read it back), the file is one.
  CHECK(evidence_put(db.db, cfg, sha, bytes, "rep2", kNow + 2000).status == 200);
  CHECK(evidence_uploaded_by(db.db, sha, "rep2"));
  CHECK_FALSE(evidence_uploaded_by(db.db, sha, "rep3"));
  int files = 0;
  for (auto& e : fs::recursive_directory_iterator(cfg.root)) files += e.is_regular_file();
  CHECK(files == 1);
}

TEST_CASE("a hash that does not match the bytes is refused with 400 and nothing is stored") {
  TempDir dir;
  test::TestDb db;
  EvidenceConfig cfg{dir.path / "evidence"};
  auto bytes = png_bytes();
  auto other = sha256sum(bytes + "x", dir.path);
  auto r = evidence_put(db.db, cfg, other, bytes, "rep1", kNow);
  CHECK(r.status == 400);
  CHECK(r.error_code == "hash_mismatch");
  CHECK_FALSE(evidence_meta(db.db, other));
  CHECK_FALSE(fs::exists(cfg.root));
  CHECK(evidence_put(db.db, cfg, "../../etc/passwd", bytes, "rep1", kNow).status == 400);
  CHECK(evidence_put(db.db, cfg, std::string(64, 'A'), bytes, "rep1", kNow).error_code == "invalid_hash");
}

TEST_CASE("a file over the size limit is refused with 413 and a disallowed type with 415") {
  TempDir dir;
  test::TestDb db;
  EvidenceConfig cfg{dir.path / "evidence", 1024};
  std::string big = "%PDF-1.4\n" + std::string(2000, 'a');
  CHECK(evidence_put(db.db, cfg, sha256sum(big, dir.path), big, "rep1", kNow).status == 413);
  std::string html = "<html>not evidence</html>";
  auto r = evidence_put(db.db, cfg, sha256sum(html, dir.path), html, "rep1", kNow);
  CHECK(r.status == 415);
  CHECK(r.error_code == "unsupported_type");
  std::string exact = "%PDF-1.4\n" + std::string(1024 - 9, 'b');
  CHECK(evidence_put(db.db, cfg, sha256sum(exact, dir.path), exact, "rep1", kNow).status == 201);
}

TEST_CASE("reading evidence never follows a path the caller made up") {
  TempDir dir;
  EvidenceConfig cfg{dir.path / "evidence"};
  CHECK_FALSE(evidence_read(cfg, "../secret"));
  CHECK_FALSE(evidence_read(cfg, std::string(64, '0')));
}
