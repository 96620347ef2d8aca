// The app's look: a light business theme; bigger targets on coarse pointers (issue 5).
#pragma once

namespace cl::app {

void apply_style(bool touch);
// Brand colours used by the shell (top bar, active nav entry).
unsigned brand_color();        // IM_COL32
unsigned brand_color_dark();
unsigned brand_text_color();

}  // namespace cl::app
