// The C boundary of libtraind_sentencepiece.so: the sentencepiece calls TextTokenizer needs.
//
// Why a module of its own: Debian's libsentencepiece.so carries its own copy of
// protobuf-lite 3.14 and exports those symbols, while libtorch loads libprotobuf 3.21.
// Linked into one lookup scope, one of the two binds to the other's functions and the
// process aborts ("compiled against version 3.14.0 of the Protocol Buffer runtime") or
// crashes while loading. TextTokenizer therefore dlopens this module with RTLD_LOCAL |
// RTLD_DEEPBIND: sentencepiece resolves its protobuf symbols inside its own group, and
// libprotobuf never sees them. Nothing but this module may link libsentencepiece.
//
// Every function is safe to call from any thread; no C++ exception crosses this boundary.
// Buffers and messages handed out are released with `release`.
#pragma once

#include <stddef.h>

extern "C" {

struct TraindSpmProcessor;  // a loaded sentencepiece model

enum TraindSpmResult {
  kTraindSpmOk = 0,
  kTraindSpmError = 1,        // *error holds sentencepiece's message
  kTraindSpmOutOfMemory = 2,  // nothing allocated
};

struct TraindSpmApi {
  int abi_version;  // TRAIND_SPM_ABI_VERSION
  // sentencepiece's minimum log level (0 info, 1 warning, 2 error), process-wide.
  void (*set_min_log_level)(int level);
  // Trains on texts[i] (sizes[i] bytes each) with trainer/normalizer options given as
  // name=value pairs in sentencepiece's flag names; the serialized ModelProto goes to
  // *model (*model_size bytes).
  int (*train)(const char* const* texts, const size_t* sizes, size_t count,
               const char* const* option_names, const char* const* option_values,
               size_t option_count, char** model, size_t* model_size, char** error);
  int (*load)(const char* model, size_t model_size, TraindSpmProcessor** processor, char** error);
  void (*destroy)(TraindSpmProcessor* processor);
  int (*serialize)(const TraindSpmProcessor* processor, char** model, size_t* model_size);
  void (*describe)(const TraindSpmProcessor* processor, int* piece_count, int* pad_id, int* unk_id);
  // The first at most `capacity` ids of the text go to ids; *count says how many.
  int (*encode)(const TraindSpmProcessor* processor, const char* text, size_t size, int* ids,
                size_t capacity, size_t* count);
  void (*release)(void* buffer);
};

#define TRAIND_SPM_ABI_VERSION 1
#define TRAIND_SPM_ENTRY_POINT "traind_sentencepiece_api"

// The module's one exported symbol.
__attribute__((visibility("default"))) const TraindSpmApi* traind_sentencepiece_api(void);

}  // extern "C"
