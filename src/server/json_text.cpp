#include "server/json_text.h"

#include <charconv>
#include <cstring>
#include <memory>
#include <string_view>

#include "core/json_text.h"

namespace cl::server {

namespace {

using json = nlohmann::json;

std::string nlohmann_text(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// Writes into this thread's scratch buffer through a raw pointer (room is reserved per value, so the
// per-byte loop has no capacity checks), then appends the whole text to the output once.
class Writer {
  static constexpr std::size_t kFirstSize = 16 * 1024, kKeepAtMost = 1024 * 1024;

 public:
  Writer() {
    thread_local std::unique_ptr<char[]> scratch;
    thread_local std::size_t scratch_size = 0;
    if (!scratch) {
      scratch_size = kFirstSize;
      scratch = std::make_unique<char[]>(scratch_size);
    }
    buf_ = &scratch;
    buf_size_ = &scratch_size;
    p_ = scratch.get();
  }
  // A thread keeps its buffer for the next value, unless one unusually large value grew it.
  ~Writer() {
    if (*buf_size_ > kKeepAtMost) {
      *buf_size_ = kFirstSize;
      *buf_ = std::make_unique<char[]>(kFirstSize);
    }
  }
  std::string_view text() const { return {buf_->get(), static_cast<std::size_t>(p_ - buf_->get())}; }

  void value(const json& j) {
    switch (j.type()) {
      case json::value_t::null: raw("null", 4); return;
      case json::value_t::boolean:
        if (j.get_ref<const json::boolean_t&>()) raw("true", 4);
        else raw("false", 5);
        return;
      case json::value_t::number_integer: integer(j.get_ref<const json::number_integer_t&>()); return;
      case json::value_t::number_unsigned: integer(j.get_ref<const json::number_unsigned_t&>()); return;
      case json::value_t::string: string(j.get_ref<const json::string_t&>()); return;
      case json::value_t::array: {
        raw("[", 1);
        bool first = true;
        for (const auto& v : j.get_ref<const json::array_t&>()) {
          if (!first) raw(",", 1);
          first = false;
          value(v);
        }
        raw("]", 1);
        return;
      }
      case json::value_t::object: {
        raw("{", 1);
        bool first = true;
        for (const auto& [k, v] : j.get_ref<const json::object_t&>()) {
          if (!first) raw(",", 1);
          first = false;
          string(k);
          raw(":", 1);
          value(v);
        }
        raw("}", 1);
        return;
      }
      default: {  // number_float (nlohmann's shortest round-trip form), binary, discarded
        const std::string t = nlohmann_text(j);
        raw(t.data(), t.size());
        return;
      }
    }
  }

 private:
  void need(std::size_t n) {
    const std::size_t used = static_cast<std::size_t>(p_ - buf_->get());
    if (*buf_size_ - used >= n) return;
    std::size_t size = *buf_size_ * 2;
    while (size - used < n) size *= 2;
    auto bigger = std::make_unique<char[]>(size);
    std::memcpy(bigger.get(), buf_->get(), used);
    *buf_ = std::move(bigger);
    *buf_size_ = size;
    p_ = buf_->get() + used;
  }
  void raw(const char* s, std::size_t n) {
    need(n);
    std::memcpy(p_, s, n);
    p_ += n;
  }
  template <class Int>
  void integer(Int v) {
    need(24);
    p_ = std::to_chars(p_, p_ + 24, v).ptr;
  }
  void string(std::string_view s) {
    need(s.size() * 6 + 2);  // the longest escape (\u00XX) is six bytes
    p_ = write_json_string(p_, s);
  }

 private:
  std::unique_ptr<char[]>* buf_;
  std::size_t* buf_size_;
  char* p_;
};

}  // namespace

void append_json_text(std::string& out, const json& j) {
  Writer w;
  w.value(j);
  out.append(w.text());
}

std::string json_text(const json& j) {
  Writer w;
  w.value(j);
  return std::string(w.text());
}

}  // namespace cl::server
