#include "server/static_files.h"

#include <sys/stat.h>

#include <climits>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "server/http_json.h"

namespace cl::server {

namespace {

std::string extension_of(const std::string& path) {
  auto slash = path.find_last_of('/');
  auto dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return {};
  std::string ext = path.substr(dot + 1);
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

std::string canonical(const std::string& p) {
  char buf[PATH_MAX];
  if (!realpath(p.c_str(), buf)) return {};
  return buf;
}

bool accepts(const httplib::Request& req, const std::string& encoding) {
  const std::string ae = req.get_header_value("Accept-Encoding");
  std::size_t pos = 0;
  while ((pos = ae.find(encoding, pos)) != std::string::npos) {
    const bool start_ok = pos == 0 || ae[pos - 1] == ' ' || ae[pos - 1] == ',';
    const std::size_t end = pos + encoding.size();
    const bool end_ok = end == ae.size() || ae[end] == ',' || ae[end] == ';' || ae[end] == ' ';
    if (start_ok && end_ok) {
      // "br;q=0" means "not br".
      auto q = ae.find(";q=0", end);
      auto comma = ae.find(',', end);
      bool refused = q != std::string::npos && (comma == std::string::npos || q < comma) &&
                     (q + 4 == ae.size() || ae[q + 4] == ',' || ae.compare(q + 4, 2, ".0") == 0);
      return !refused;
    }
    pos = end;
  }
  return false;
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

bool is_regular(const std::string& path, struct stat& st) {
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

}  // namespace

std::string mime_type_for(const std::string& path) {
  const std::string ext = extension_of(path);
  if (ext == "html" || ext == "htm") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "wasm") return "application/wasm";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "json" || ext == "map") return "application/json; charset=utf-8";
  if (ext == "webmanifest") return "application/manifest+json";
  if (ext == "ttf") return "font/ttf";
  if (ext == "otf") return "font/otf";
  if (ext == "woff") return "font/woff";
  if (ext == "woff2") return "font/woff2";
  if (ext == "png") return "image/png";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "ico") return "image/x-icon";
  if (ext == "webp") return "image/webp";
  if (ext == "txt") return "text/plain; charset=utf-8";
  if (ext == "data" || ext == "bin") return "application/octet-stream";
  return "application/octet-stream";
}

void serve_static(const httplib::Request& req, httplib::Response& res, const std::string& root_in) {
  // httplib has already percent-decoded req.path once; check the decoded form and the raw target,
  // so "..%2f", "%2e%2e/" and "/../" all stop here.
  const std::string& path = req.path;
  auto bad = [&] { write_error(res, 400, "bad_path", "invalid path"); };
  if (path.empty() || path[0] != '/' || path.find('\0') != std::string::npos || path.find('\\') != std::string::npos)
    return bad();
  {
    std::string seg;
    std::istringstream segs(path);
    while (std::getline(segs, seg, '/'))
      if (seg == ".." || seg == ".") return bad();
    std::string raw = req.target;
    for (auto& c : raw) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (raw.find("%2e%2e") != std::string::npos || raw.find("..%2f") != std::string::npos ||
        raw.find("..%5c") != std::string::npos || raw.find("%00") != std::string::npos)
      return bad();
  }

  static thread_local std::string cached_root_in, cached_root;
  if (cached_root_in != root_in) {
    cached_root_in = root_in;
    cached_root = canonical(root_in);
  }
  const std::string& root = cached_root;
  if (root.empty()) return write_error(res, 404, "not_found", "no web folder");

  std::string rel = path;
  while (!rel.empty() && rel.front() == '/') rel.erase(0, 1);
  if (rel.empty() || rel.back() == '/') rel += "index.html";
  const std::string full = canonical(root + "/" + rel);
  // realpath resolves symlinks: anything that ends up outside the root is refused.
  struct stat st {};
  if (full.empty() || full.compare(0, root.size() + 1, root + "/") != 0 || !is_regular(full, st))
    return write_error(res, 404, "not_found", "no such file");

  const std::string mime = mime_type_for(full);
  const std::string name = full.substr(full.find_last_of('/') + 1);

  // Cache policy: the entry points must be revalidated every time or a new deploy never shows;
  // names carrying a content hash never change, so they may be cached for a year.
  static const std::regex hashed(R"(.*[.-][0-9a-fA-F]{8,}\.[A-Za-z0-9]+$)");
  if (name == "index.html" || name == "sw.js" || name.find("manifest") != std::string::npos)
    res.set_header("Cache-Control", "no-cache");
  else if (std::regex_match(name, hashed))
    res.set_header("Cache-Control", "public, max-age=31536000, immutable");
  else
    res.set_header("Cache-Control", "no-cache");

  std::string file = full, encoding;
  struct stat cst {};
  if (accepts(req, "br") && is_regular(full + ".br", cst)) {
    file = full + ".br";
    encoding = "br";
  } else if (accepts(req, "gzip") && is_regular(full + ".gz", cst)) {
    file = full + ".gz";
    encoding = "gzip";
  }
  if (!encoding.empty()) st = cst;
  res.set_header("Vary", "Accept-Encoding");

  const std::string etag = "\"" + std::to_string(static_cast<long long>(st.st_mtime)) + "-" +
                           std::to_string(static_cast<long long>(st.st_size)) + (encoding.empty() ? "" : "-" + encoding) + "\"";
  res.set_header("ETag", etag);
  if (req.get_header_value("If-None-Match") == etag) {
    res.status = 304;
    return;
  }

  std::string body;
  if (!read_file(file, body)) return write_error(res, 404, "not_found", "no such file");
  if (!encoding.empty()) {
    // A content provider with a known length is sent as is: httplib never re-compresses it.
    res.set_header("Content-Encoding", encoding);
    auto shared = std::make_shared<std::string>(std::move(body));
    res.set_content_provider(
        shared->size(), mime,
        [shared](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
          sink.write(shared->data() + offset, std::min(length, shared->size() - offset));
          return true;
        });
    return;
  }
  res.set_content(std::move(body), mime);
}

}  // namespace cl::server
