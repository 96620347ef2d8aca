// R10: evidence files, content-addressed. The client names the bytes by their SHA-256; the server
// recomputes it and refuses a mismatch, so a stored file can never be swapped behind a record that
// references it. Files live under <data>/evidence/ab/cdef… — the path is derived from the verified
// hash only, never from anything the user typed. Uploading the same bytes again is a no-op.
#pragma once

#include <sqlite3.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "core/model.h"

namespace cl::server {

struct EvidenceConfig {
  std::filesystem::path root;                  // <data>/evidence
  std::int64_t max_bytes = 20LL * 1024 * 1024;  // R10 default: 20 MB (configurable)
};

// "application/pdf", "image/jpeg", "image/png", "image/heic" from the magic bytes; nullopt otherwise.
// The declared Content-Type is never trusted.
std::optional<std::string> sniff_evidence_type(std::string_view bytes);

bool is_sha256_hex(std::string_view s);  // exactly 64 lowercase hex digits
std::string sha256_hex(std::string_view bytes);
std::filesystem::path evidence_path(const EvidenceConfig& cfg, std::string_view sha256);

struct EvidenceMeta {
  std::string sha256;
  std::int64_t size_bytes = 0;
  std::string mime_type;
  std::string first_uploaded_by;
  Instant created_at = 0;
};

struct EvidencePutResult {
  int status = 0;          // 201 stored, 200 already stored, 400 bad/mismatched hash, 413 too big, 415 type
  std::string error_code;  // "", "invalid_hash", "hash_mismatch", "too_large", "unsupported_type"
  EvidenceMeta meta;
};

// Verifies and stores; records the uploader (so they may read it back before any record refers to it).
EvidencePutResult evidence_put(sqlite3* db, const EvidenceConfig& cfg, std::string_view claimed_sha256,
                               std::string_view bytes, const std::string& uploader_id, Instant now);

std::optional<EvidenceMeta> evidence_meta(sqlite3* db, std::string_view sha256);
bool evidence_uploaded_by(sqlite3* db, std::string_view sha256, const std::string& user_id);
std::optional<std::string> evidence_read(const EvidenceConfig& cfg, std::string_view sha256);

}  // namespace cl::server
