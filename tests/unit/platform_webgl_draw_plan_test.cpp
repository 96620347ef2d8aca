// The pure parts of the app's WebGL2 renderer (src/platform/webgl_draw_plan.h): clip rectangles to
// scissor boxes, the display → clip-space transform, and the state record that lets the renderer skip
// GL calls without ever querying GL.
#include <doctest/doctest.h>

#include "platform/webgl_draw_plan.h"

using namespace cl::platform::webgl;

namespace {
// The transform applied to a display point, as the vertex shader does.
void to_clip(const Transform& t, float x, float y, float& cx, float& cy) {
  cx = x * t.sx + t.tx;
  cy = y * t.sy + t.ty;
}
}  // namespace

TEST_CASE("a clip rectangle becomes a scissor box in framebuffer pixels with GL's y pointing up") {
  ScissorBox b;
  // 800×600 display at devicePixelRatio 2 → 1600×1200 framebuffer; a rect 100..300 × 50..150.
  REQUIRE(scissor_for_clip(100, 50, 300, 150, 0, 0, 2, 2, 1600, 1200, b));
  CHECK(b.x == 200);
  CHECK(b.w == 400);
  CHECK(b.h == 200);
  CHECK(b.y == 1200 - 300);  // bottom edge 150 css px = 300 px from the top = 900 px from the bottom
}

TEST_CASE("a clip rectangle reaching past the framebuffer is clamped to it") {
  ScissorBox b;
  REQUIRE(scissor_for_clip(-20, -10, 900, 700, 0, 0, 1, 1, 800, 600, b));
  CHECK(b == ScissorBox{0, 0, 800, 600});
  REQUIRE(scissor_for_clip(700, 500, 1000, 900, 0, 0, 1, 1, 800, 600, b));
  CHECK(b == ScissorBox{700, 0, 100, 100});
}

TEST_CASE("a clip rectangle with nothing on screen is skipped") {
  ScissorBox b;
  CHECK_FALSE(scissor_for_clip(10, 10, 10, 50, 0, 0, 1, 1, 800, 600, b));    // zero width
  CHECK_FALSE(scissor_for_clip(10, 60, 50, 40, 0, 0, 1, 1, 800, 600, b));    // inverted
  CHECK_FALSE(scissor_for_clip(900, 10, 950, 50, 0, 0, 1, 1, 800, 600, b));  // right of the screen
  CHECK_FALSE(scissor_for_clip(10, -80, 50, -5, 0, 0, 1, 1, 800, 600, b));   // above it
}

TEST_CASE("the display position is subtracted before scaling") {
  ScissorBox b;
  REQUIRE(scissor_for_clip(110, 220, 130, 240, 100, 200, 3, 3, 300, 300, b));
  CHECK(b == ScissorBox{30, 300 - 120, 60, 60});
}

TEST_CASE("fractional clip edges truncate like ImGui's own backends") {
  ScissorBox b;
  REQUIRE(scissor_for_clip(10.5f, 0, 20.75f, 10, 0, 0, 1.5f, 1.5f, 100, 100, b));
  CHECK(b.x == 15);   // 15.75
  CHECK(b.w == 15);   // 31.125 - 15.75 = 15.375
}

// Display point (px, py) lands on clip-space point (cx, cy).
static void check_maps(const Transform& t, float px, float py, float cx, float cy) {
  float x, y;
  to_clip(t, px, py, x, y);
  CHECK(x == doctest::Approx(cx));
  CHECK(y == doctest::Approx(cy));
}

TEST_CASE("the display's corners map to the corners of clip space, top-left to (-1, 1)") {
  const Transform t = display_to_clip(0, 0, 800, 600);
  check_maps(t, 0, 0, -1, 1);
  check_maps(t, 800, 600, 1, -1);
  check_maps(t, 400, 300, 0, 0);
}

TEST_CASE("a display not at the origin still maps its own corners to clip space's") {
  const Transform t = display_to_clip(50, 20, 200, 100);
  check_maps(t, 50, 20, -1, 1);
  check_maps(t, 250, 120, 1, -1);
}

TEST_CASE("the state record asks for a GL call only when the wanted state differs from the last set") {
  StateCache c;
  CHECK(c.scissor_changes({0, 0, 10, 10}));
  CHECK_FALSE(c.scissor_changes({0, 0, 10, 10}));
  CHECK(c.scissor_changes({0, 0, 10, 11}));
  CHECK(c.texture_changes(3));
  CHECK_FALSE(c.texture_changes(3));
  CHECK(c.texture_changes(4));
  CHECK(c.vertex_base_changes(0));
  CHECK_FALSE(c.vertex_base_changes(0));
  CHECK(c.vertex_base_changes(65536 * 20));
  CHECK(c.viewport_changes(800, 600));
  CHECK_FALSE(c.viewport_changes(800, 600));
  CHECK(c.viewport_changes(800, 601));
}

TEST_CASE("a fresh or forgotten state record sets everything once, even texture 0 and an empty box") {
  StateCache c;
  CHECK(c.texture_changes(0));
  CHECK(c.scissor_changes({0, 0, 0, 0}));
  c.forget();
  CHECK(c.texture_changes(0));
  CHECK(c.scissor_changes({0, 0, 0, 0}));
  CHECK(c.viewport_changes(1, 1));
}
