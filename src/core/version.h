#pragma once
namespace cl {
inline constexpr const char* kVersion = "0.1.0";
inline constexpr int kSchemaVersion = 1;  // JSON codecs and sync requests carry it
}  // namespace cl
