// Static files for the browser app (the wasm dist/ folder): correct MIME types, no path traversal,
// precompressed .br/.gz variants when the client accepts them, cache rules that let hashed assets
// live long while index.html and sw.js are always revalidated.
#pragma once

#include <string>

#include <httplib.h>

namespace cl::server {

std::string mime_type_for(const std::string& path);

// `root` must be an existing directory (made canonical inside). Writes 200/304, or 400/404 JSON.
void serve_static(const httplib::Request& req, httplib::Response& res, const std::string& root);

}  // namespace cl::server
