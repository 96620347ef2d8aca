// Where a wrapped line of mixed Chinese and Latin text may break (the conflicts banner, issue 5).
// ImGui's TextWrapped breaks after any '.' or ',', so "我的 ¥123,456.00" could wrap as "¥123," /
// "456.00" — an amount read wrong. Here, breaks happen at blanks, after punctuation (not inside a
// number: "123,456.00", "3.5"), and between two Chinese characters (Chinese has no spaces), never
// before closing punctuation nor after opening brackets. Pure: the caller measures text.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace cl::app {

// `text` with '\n' inserted so no line is wider than `width` (as `measure` says), when breaks allow;
// a run with no break opportunity that is wider than a line is cut where it overflows. Blanks at a
// break are dropped.
std::string wrap_lines(std::string_view text, float width, const std::function<float(std::string_view)>& measure);

}  // namespace cl::app
