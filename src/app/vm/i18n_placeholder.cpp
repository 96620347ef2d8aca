// placeholder: view-models land here
namespace cl::app { int appvm_placeholder() { return 0; } }
