// File picker (PDF / photo evidence, R10) and downloads (CSV, PDF). Both must be started from a
// button handler: the platform runs that frame inside the user's pointer gesture, which the browser
// requires for opening a picker or starting a download.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace cl::platform {

struct PickedFile {
  std::string name;
  std::string mime;
  std::vector<std::uint8_t> bytes;
};

// accept: "application/pdf,image/*"; camera: opens the tablet camera (capture="environment").
// The callback is not called when the user cancels. Photos are downscaled (≤ 2048 px JPEG) in JS.
void pick_file(const std::string& accept, bool camera, std::function<void(PickedFile)> done);

void download_file(const std::string& name, const std::string& mime, const void* data, std::size_t size);

}  // namespace cl::platform
