// STYLE.md: src/core and src/sync are pure — they compile into both the browser and the server, so
// they may not include a UI, platform, storage or I/O header. This test reads the sources and fails
// naming the file and the include, so the fix is obvious.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

static const std::vector<std::string> kForbidden = {
    "imgui", "emscripten", "sqlite3", "httplib", "curl", "sodium", "hpdf", "xlsxwriter",
    "<fstream>", "<iostream>", "<filesystem>", "<chrono>", "<ctime>",
    "<time.h>", "<random>", "<thread>", "<unistd.h>", "<sys/", "<GLES", "<GL/"};

TEST_CASE("core and sync include no UI, platform, storage or I/O header") {
  std::vector<std::string> offenders;
  int files = 0;
  for (const char* dir : {"src/core", "src/sync"}) {
    fs::path root = fs::path(CLOSELOOP_SOURCE_DIR) / dir;
    REQUIRE_MESSAGE(fs::exists(root), "source folder not found: " << root.string());
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      const auto ext = entry.path().extension().string();
      if (ext != ".h" && ext != ".cpp") continue;
      ++files;
      std::ifstream in(entry.path());
      std::string line;
      int lineno = 0;
      while (std::getline(in, line)) {
        ++lineno;
        if (line.rfind("#include", 0) != 0) continue;
        for (const auto& bad : kForbidden)
          if (line.find(bad) != std::string::npos)
            offenders.push_back(entry.path().string() + ":" + std::to_string(lineno) + ": " + line);
      }
    }
  }
  CHECK(files > 0);
  for (const auto& o : offenders) FAIL_CHECK("forbidden include in pure module: " << o);
  CHECK(offenders.empty());
}
