// libtraind_sentencepiece.so: sentencepiece's trainer and processor behind the C table of
// sentencepiece_c_api.h (why it is a module of its own is explained there).
#include "algorithms/nn/sentencepiece/sentencepiece_c_api.h"

#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sentencepiece::logging {
// Defined in libsentencepiece but declared only in its private common.h.
void SetMinLogLevel(int v);
}  // namespace sentencepiece::logging

struct TraindSpmProcessor {
  sentencepiece::SentencePieceProcessor processor;
};

namespace {

// A malloc'ed copy (released with `release`), or nullptr when memory ran out.
char* copy_out(const std::string& bytes) {
  char* buffer = static_cast<char*>(std::malloc(bytes.size() + 1));
  if (buffer == nullptr) return nullptr;
  std::memcpy(buffer, bytes.data(), bytes.size());
  buffer[bytes.size()] = '\0';
  return buffer;
}

int fail(const std::string& message, char** error) {
  *error = copy_out(message);
  return *error == nullptr ? kTraindSpmOutOfMemory : kTraindSpmError;
}

class TextsIterator : public sentencepiece::SentenceIterator {
 public:
  TextsIterator(const char* const* texts, const size_t* sizes, size_t count)
      : texts_(texts), sizes_(sizes), count_(count) {
    load();
  }
  bool done() const override { return position_ >= count_; }
  void Next() override {
    ++position_;
    load();
  }
  const std::string& value() const override { return current_; }
  sentencepiece::util::Status status() const override { return {}; }

 private:
  void load() {
    if (!done()) current_.assign(texts_[position_], sizes_[position_]);
  }

  const char* const* texts_;
  const size_t* sizes_;
  size_t count_;
  size_t position_ = 0;
  std::string current_;
};

void set_min_log_level(int level) { sentencepiece::logging::SetMinLogLevel(level); }

int train(const char* const* texts, const size_t* sizes, size_t count,
          const char* const* option_names, const char* const* option_values, size_t option_count,
          char** model, size_t* model_size, char** error) {
  try {
    std::unordered_map<std::string, std::string> options;
    for (size_t i = 0; i < option_count; ++i) options[option_names[i]] = option_values[i];
    TextsIterator iterator(texts, sizes, count);
    std::string proto;
    const auto status = sentencepiece::SentencePieceTrainer::Train(options, &iterator, &proto);
    if (!status.ok()) return fail(status.error_message(), error);
    *model = copy_out(proto);
    *model_size = proto.size();
    return *model == nullptr ? kTraindSpmOutOfMemory : kTraindSpmOk;
  } catch (const std::bad_alloc&) {
    return kTraindSpmOutOfMemory;
  } catch (const std::exception& e) {
    return fail(e.what(), error);
  }
}

int load(const char* model, size_t model_size, TraindSpmProcessor** processor, char** error) {
  try {
    auto loaded = std::make_unique<TraindSpmProcessor>();
    const auto status =
        loaded->processor.LoadFromSerializedProto(std::string_view(model, model_size));
    if (!status.ok()) return fail(status.error_message(), error);
    *processor = loaded.release();
    return kTraindSpmOk;
  } catch (const std::bad_alloc&) {
    return kTraindSpmOutOfMemory;
  } catch (const std::exception& e) {
    return fail(e.what(), error);
  }
}

void destroy(TraindSpmProcessor* processor) { delete processor; }

int serialize(const TraindSpmProcessor* processor, char** model, size_t* model_size) {
  try {
    const std::string proto = processor->processor.serialized_model_proto();
    *model = copy_out(proto);
    *model_size = proto.size();
    return *model == nullptr ? kTraindSpmOutOfMemory : kTraindSpmOk;
  } catch (const std::bad_alloc&) {
    return kTraindSpmOutOfMemory;
  }
}

void describe(const TraindSpmProcessor* processor, int* piece_count, int* pad_id, int* unk_id) {
  *piece_count = processor->processor.GetPieceSize();
  *pad_id = processor->processor.pad_id();
  *unk_id = processor->processor.unk_id();
}

int encode(const TraindSpmProcessor* processor, const char* text, size_t size, int* ids,
           size_t capacity, size_t* count) {
  *count = 0;
  try {
    thread_local std::vector<int> all;  // reused: encode runs once per text of a batch
    all.clear();
    if (!processor->processor.Encode(std::string_view(text, size), &all).ok()) {
      return kTraindSpmError;
    }
    *count = std::min(all.size(), capacity);
    std::copy(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(*count), ids);
    return kTraindSpmOk;
  } catch (const std::bad_alloc&) {
    return kTraindSpmOutOfMemory;
  }
}

void release(void* buffer) { std::free(buffer); }

constexpr TraindSpmApi kApi = {TRAIND_SPM_ABI_VERSION,
                               &set_min_log_level,
                               &train,
                               &load,
                               &destroy,
                               &serialize,
                               &describe,
                               &encode,
                               &release};

}  // namespace

extern "C" const TraindSpmApi* traind_sentencepiece_api(void) { return &kApi; }
