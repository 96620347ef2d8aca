// WebGL2 renderer for ImGui's draw data. One program, one vertex array, one vertex and one index
// buffer; blending, scissor and the vertex layout are set once. Per frame: texture requests, a clear,
// one glBufferData per draw list for vertices and indices (orphaning: the GPU process may still be
// reading last frame's data), then a scissor + glDrawElements per command, skipping scissor and
// texture calls that would not change anything. No glGet*/glIsEnabled/glGetError per frame: in
// Chromium those can be synchronous round trips to the GPU process (webgl_draw_plan.h).
#include "platform/webgl_renderer.h"

#include <GLES3/gl3.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>

#include <imgui.h>

#include "platform/webgl_draw_plan.h"

namespace cl::platform::detail {
namespace {

namespace wg = cl::platform::webgl;

struct Gl {
  GLuint program = 0, vao = 0, vbo = 0, ibo = 0;
  GLint transform_loc = -1;
  wg::StateCache cache;
};
Gl g;

// Attribute locations fixed in the shader (no glGetAttribLocation).
constexpr GLuint kPos = 0, kUv = 1, kColor = 2;

const char* const kVertexShader = R"(#version 300 es
precision highp float;
layout (location = 0) in vec2 a_pos;
layout (location = 1) in vec2 a_uv;
layout (location = 2) in vec4 a_color;
uniform vec4 u_transform;  // xy = scale, zw = translate: display pixels -> clip space
out vec2 v_uv;
out vec4 v_color;
void main() {
  v_uv = a_uv;
  v_color = a_color;
  gl_Position = vec4(a_pos * u_transform.xy + u_transform.zw, 0.0, 1.0);
}
)";

const char* const kFragmentShader = R"(#version 300 es
precision mediump float;
uniform sampler2D u_texture;  // unit 0 (the default value of a sampler uniform)
in vec2 v_uv;
in vec4 v_color;
layout (location = 0) out vec4 out_color;
void main() { out_color = v_color * texture(u_texture, v_uv); }
)";

GLuint compile(GLenum kind, const char* src) {
  const GLuint s = glCreateShader(kind);
  glShaderSource(s, 1, &src, nullptr);
  glCompileShader(s);
  GLint ok = 0;
  glGetShaderiv(s, GL_COMPILE_STATUS, &ok);  // once, at start-up
  if (!ok) {
    char log[1024] = {0};
    glGetShaderInfoLog(s, sizeof log, nullptr, log);
    std::fprintf(stderr, "[closeloop] WebGL shader does not compile: %s\n", log);
  }
  return s;
}

void point_attributes(std::size_t base) {
  glVertexAttribPointer(kPos, 2, GL_FLOAT, GL_FALSE, sizeof(ImDrawVert),
                        reinterpret_cast<const void*>(base + offsetof(ImDrawVert, pos)));
  glVertexAttribPointer(kUv, 2, GL_FLOAT, GL_FALSE, sizeof(ImDrawVert),
                        reinterpret_cast<const void*>(base + offsetof(ImDrawVert, uv)));
  glVertexAttribPointer(kColor, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(ImDrawVert),
                        reinterpret_cast<const void*>(base + offsetof(ImDrawVert, col)));
}

void bind_texture(GLuint id) {
  if (g.cache.texture_changes(id)) glBindTexture(GL_TEXTURE_2D, id);
}

// ImGui 1.92's texture protocol: the dynamic font atlas asks for a texture to be created, for new
// glyph rectangles to be uploaded (never rewriting a region in use), or for the texture to go.
void update_texture(ImTextureData* tex) {
  if (tex->Status == ImTextureStatus_WantCreate) {
    IM_ASSERT(tex->Format == ImTextureFormat_RGBA32);
    GLuint id = 0;
    glGenTextures(1, &id);
    bind_texture(id);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, tex->Width, tex->Height, 0, GL_RGBA, GL_UNSIGNED_BYTE, tex->GetPixels());
    tex->SetTexID(static_cast<ImTextureID>(id));
    tex->SetStatus(ImTextureStatus_OK);
  } else if (tex->Status == ImTextureStatus_WantUpdates) {
    bind_texture(static_cast<GLuint>(tex->TexID));
    // WebGL2 has UNPACK_ROW_LENGTH: each rectangle goes straight from the atlas's pixels, no copy.
    glPixelStorei(GL_UNPACK_ROW_LENGTH, tex->Width);
    for (const ImTextureRect& r : tex->Updates)
      glTexSubImage2D(GL_TEXTURE_2D, 0, r.x, r.y, r.w, r.h, GL_RGBA, GL_UNSIGNED_BYTE, tex->GetPixelsAt(r.x, r.y));
    glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
    tex->SetStatus(ImTextureStatus_OK);
  } else if (tex->Status == ImTextureStatus_WantDestroy && tex->UnusedFrames > 0) {
    const GLuint id = static_cast<GLuint>(tex->TexID);
    if (g.cache.texture == id) g.cache.texture = wg::StateCache::kNone;
    glDeleteTextures(1, &id);
    tex->SetTexID(ImTextureID_Invalid);
    tex->SetStatus(ImTextureStatus_Destroyed);
  }
}

}  // namespace

bool webgl_renderer_init() {
  const GLuint vs = compile(GL_VERTEX_SHADER, kVertexShader);
  const GLuint fs = compile(GL_FRAGMENT_SHADER, kFragmentShader);
  g.program = glCreateProgram();
  glAttachShader(g.program, vs);
  glAttachShader(g.program, fs);
  glLinkProgram(g.program);
  GLint linked = 0;
  glGetProgramiv(g.program, GL_LINK_STATUS, &linked);
  glDeleteShader(vs);
  glDeleteShader(fs);
  if (!linked) {
    std::fprintf(stderr, "[closeloop] WebGL program does not link\n");
    return false;
  }
  g.transform_loc = glGetUniformLocation(g.program, "u_transform");
  glUseProgram(g.program);

  glGenVertexArrays(1, &g.vao);
  glBindVertexArray(g.vao);
  glGenBuffers(1, &g.vbo);
  glGenBuffers(1, &g.ibo);
  glBindBuffer(GL_ARRAY_BUFFER, g.vbo);
  glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, g.ibo);  // part of the vertex array's state
  glEnableVertexAttribArray(kPos);
  glEnableVertexAttribArray(kUv);
  glEnableVertexAttribArray(kColor);
  g.cache.forget();
  g.cache.vertex_base_changes(0);
  point_attributes(0);

  // ImGui's blending (premultiplied output alpha), no depth/stencil/culling (off by default in a new
  // context, and the context has no depth or stencil buffer), scissor always on.
  glEnable(GL_BLEND);
  glBlendEquation(GL_FUNC_ADD);
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
  glEnable(GL_SCISSOR_TEST);
  glActiveTexture(GL_TEXTURE0);
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glClearColor(0.95f, 0.96f, 0.97f, 1.0f);

  GLint max_tex = 0;
  glGetIntegerv(GL_MAX_TEXTURE_SIZE, &max_tex);  // once
  ImGuiIO& io = ImGui::GetIO();
  io.BackendRendererName = "closeloop_webgl2";
  io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset | ImGuiBackendFlags_RendererHasTextures;
  ImGuiPlatformIO& pio = ImGui::GetPlatformIO();
  pio.Renderer_TextureMaxWidth = pio.Renderer_TextureMaxHeight = max_tex > 0 ? max_tex : 4096;
  return true;
}

void webgl_renderer_draw(ImDrawData* dd, int fb_w, int fb_h) {
  if (fb_w <= 0 || fb_h <= 0) return;
  if (dd && dd->Textures)
    for (ImTextureData* tex : *dd->Textures)
      if (tex->Status != ImTextureStatus_OK) update_texture(tex);

  if (g.cache.viewport_changes(fb_w, fb_h)) glViewport(0, 0, fb_w, fb_h);
  // The clear obeys the scissor test (always on): open it to the whole framebuffer first.
  if (g.cache.scissor_changes(wg::ScissorBox{0, 0, fb_w, fb_h})) glScissor(0, 0, fb_w, fb_h);
  glClear(GL_COLOR_BUFFER_BIT);
  if (!dd || dd->CmdListsCount == 0 || dd->DisplaySize.x <= 0 || dd->DisplaySize.y <= 0) return;

  const wg::Transform t = wg::display_to_clip(dd->DisplayPos.x, dd->DisplayPos.y, dd->DisplaySize.x, dd->DisplaySize.y);
  glUniform4f(g.transform_loc, t.sx, t.sy, t.tx, t.ty);

  for (const ImDrawList* list : dd->CmdLists) {
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(list->VtxBuffer.Size) * sizeof(ImDrawVert),
                 list->VtxBuffer.Data, GL_STREAM_DRAW);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER, static_cast<GLsizeiptr>(list->IdxBuffer.Size) * sizeof(ImDrawIdx),
                 list->IdxBuffer.Data, GL_STREAM_DRAW);
    for (const ImDrawCmd& cmd : list->CmdBuffer) {
      if (cmd.UserCallback) {
        // ImDrawCallback_ResetRenderState has nothing to reset (nobody else touches the state);
        // the app registers no other callbacks.
        if (cmd.UserCallback != ImDrawCallback_ResetRenderState) cmd.UserCallback(list, &cmd);
        continue;
      }
      if (cmd.ElemCount == 0) continue;
      wg::ScissorBox box;
      if (!wg::scissor_for_clip(cmd.ClipRect.x, cmd.ClipRect.y, cmd.ClipRect.z, cmd.ClipRect.w, dd->DisplayPos.x,
                                dd->DisplayPos.y, dd->FramebufferScale.x, dd->FramebufferScale.y, fb_w, fb_h, box))
        continue;
      if (g.cache.scissor_changes(box)) glScissor(box.x, box.y, box.w, box.h);
      bind_texture(static_cast<GLuint>(cmd.GetTexID()));
      const std::size_t base = static_cast<std::size_t>(cmd.VtxOffset) * sizeof(ImDrawVert);
      if (g.cache.vertex_base_changes(base)) point_attributes(base);
      glDrawElements(GL_TRIANGLES, static_cast<GLsizei>(cmd.ElemCount),
                     sizeof(ImDrawIdx) == 2 ? GL_UNSIGNED_SHORT : GL_UNSIGNED_INT,
                     reinterpret_cast<const void*>(static_cast<std::uintptr_t>(cmd.IdxOffset) * sizeof(ImDrawIdx)));
    }
  }
}

}  // namespace cl::platform::detail
