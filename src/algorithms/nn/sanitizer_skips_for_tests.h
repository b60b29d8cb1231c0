// Tests that cannot run in the AddressSanitizer build, and why.
//
// The tokenizer opens libtraind_sentencepiece.so with RTLD_DEEPBIND so that
// libsentencepiece's bundled protobuf-lite 3.14 binds to itself rather than to libtorch's
// libprotobuf 3.21. ASan refuses RTLD_DEEPBIND, so in that build the two clash and every
// sentencepiece call fails. ASan's allocator also aborts on a huge allocation instead of
// returning null, so the out-of-memory path cannot be reached under it.
#pragma once

#include <gtest/gtest.h>

#if defined(__SANITIZE_ADDRESS__)
#define TRAIND_SKIP_WITHOUT_TOKENIZER() \
  GTEST_SKIP() << "sentencepiece needs RTLD_DEEPBIND, which AddressSanitizer refuses"
#define TRAIND_SKIP_UNDER_ASAN_ALLOCATOR() \
  GTEST_SKIP() << "AddressSanitizer's allocator aborts instead of failing an allocation"
#else
#define TRAIND_SKIP_WITHOUT_TOKENIZER() static_cast<void>(0)
#define TRAIND_SKIP_UNDER_ASAN_ALLOCATOR() static_cast<void>(0)
#endif
