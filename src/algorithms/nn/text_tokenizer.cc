// TextTokenizer: sentencepiece trained in memory (texts in, a serialized ModelProto out, no
// file written), reached through the C table of libtraind_sentencepiece.so.
#include "algorithms/nn/text_tokenizer.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <new>
#include <string_view>
#include <utility>

#include "algorithms/nn/sentencepiece/sentencepiece_c_api.h"

namespace traind::algorithms::nn {
namespace {

constexpr const char* kModuleFile = "libtraind_sentencepiece.so";
constexpr int kPadId = 0;
constexpr int kUnkId = 1;
constexpr int kLogLevelError = 2;  // sentencepiece prints errors only, not its progress
// sentencepiece skips training lines longer than its max_sentence_length (4192 bytes by
// default); we cut long texts to this many bytes instead, so a long text still teaches the
// vocabulary its opening, which is the part encode() keeps.
constexpr size_t kMaxTrainingTextBytes = 8192;
// A piece is at most 16 characters (sentencepiece's max_piece_length) of at most 4 bytes,
// so max_length tokens never need more than 64 bytes each; the margin absorbs whitespace
// runs that normalisation collapses. Bounds the work of encoding a huge text.
constexpr size_t kEncodeBytesPerToken = 64;
constexpr size_t kEncodeMarginBytes = 1024;

// Where the module may be, in the order tried: named by the environment, beside the
// library or executable this code is in (libtraind_nn.so in bin/), in $TRAIND_BIN_DIR (set
// for tests), or where the build put it.
std::vector<std::string> module_candidates() {
  std::vector<std::string> paths;
  if (const char* env = std::getenv("TRAIND_SENTENCEPIECE_MODULE"); env && *env) {
    paths.emplace_back(env);
  }
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&module_candidates), &info) != 0 && info.dli_fname) {
    paths.push_back((std::filesystem::path(info.dli_fname).parent_path() / kModuleFile).string());
  }
  if (const char* env = std::getenv("TRAIND_BIN_DIR"); env && *env) {
    paths.push_back((std::filesystem::path(env) / kModuleFile).string());
  }
#ifdef TRAIND_SENTENCEPIECE_BUILD_MODULE
  paths.emplace_back(TRAIND_SENTENCEPIECE_BUILD_MODULE);
#endif
  return paths;
}

Result<const TraindSpmApi*> open_module() {
  // RTLD_DEEPBIND keeps sentencepiece's bundled protobuf apart from libtorch's libprotobuf
  // (sentencepiece_c_api.h). AddressSanitizer refuses it; there the module still works
  // unless libprotobuf was loaded globally, which only the test binaries do.
#if defined(__SANITIZE_ADDRESS__)
  constexpr int kFlags = RTLD_NOW | RTLD_LOCAL;
#else
  constexpr int kFlags = RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND;
#endif
  std::string tried;
  for (const std::string& path : module_candidates()) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      tried += (tried.empty() ? "" : ", ") + path + " (absent)";
      continue;
    }
    // Never closed: tokenizers may live until the process ends.
    void* handle = dlopen(path.c_str(), kFlags);
    if (handle == nullptr) {
      const char* error = dlerror();
      tried += (tried.empty() ? "" : ", ") + path + " (" + (error ? error : "dlopen failed") + ")";
      continue;
    }
    using Entry = const TraindSpmApi* (*)();
    auto entry = reinterpret_cast<Entry>(dlsym(handle, TRAIND_SPM_ENTRY_POINT));
    const TraindSpmApi* api = entry ? entry() : nullptr;
    if (api != nullptr && api->abi_version == TRAIND_SPM_ABI_VERSION) {
      api->set_min_log_level(kLogLevelError);
      return api;
    }
    tried += (tried.empty() ? "" : ", ") + path + " (not a matching " + kModuleFile + ")";
  }
  return Status(ErrorCode::kInternal, std::string("the tokenizer module ") + kModuleFile +
                                          " could not be loaded; tried: " + tried);
}

Result<const TraindSpmApi*> sentencepiece_module() {
  static std::once_flag once;
  static Result<const TraindSpmApi*> module = Status(ErrorCode::kInternal, "not loaded");
  std::call_once(once, [] { module = open_module(); });
  return module;
}

// A message the module allocated, as a string (and released).
std::string take_message(const TraindSpmApi* api, char* message) {
  std::string text = message ? message : "unknown error";
  api->release(message);
  return text;
}

// The longest prefix of `text` of at most `limit` bytes that does not split a UTF-8 sequence.
std::string_view utf8_prefix(std::string_view text, size_t limit) {
  if (text.size() <= limit) return text;
  size_t end = limit;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

std::vector<std::pair<std::string, std::string>> training_spec(
    const TextTokenizer::Options& options) {
  return {
      {"model_type", options.model_type},
      {"vocab_size", std::to_string(options.vocab_size)},
      // vocab_size is an upper bound: a small corpus yields fewer pieces, not an error.
      {"hard_vocab_limit", "false"},
      {"pad_id", std::to_string(kPadId)},
      {"unk_id", std::to_string(kUnkId)},
      {"bos_id", "-1"},
      {"eos_id", "-1"},
      {"normalization_rule_name", "nmt_nfkc_cf"},  // NFKC + case folding
      // Digits one by one: ids, amounts and dates would otherwise fill the vocabulary.
      {"split_digits", "true"},
      {"max_sentence_length", std::to_string(kMaxTrainingTextBytes)},
      {"num_threads", std::to_string(std::clamp(options.threads, 1, 128))},
  };
}

Status training_error(const std::string& message, int vocab_size) {
  if (message.find("Vocabulary size is smaller than required_chars") != std::string::npos) {
    return Status(ErrorCode::kInvalidConfig,
                  "vocab_size " + std::to_string(vocab_size) +
                      " is smaller than the number of distinct characters in the text; "
                      "increase vocab_size (sentencepiece: " +
                      message + ")");
  }
  return Status(ErrorCode::kDataError, "could not train the sentencepiece tokenizer: " + message);
}

Status out_of_memory(const char* doing) {
  return Status(ErrorCode::kOutOfMemory, std::string("out of memory while ") + doing);
}

// The serialized model sentencepiece trains from `texts` with `options`.
Result<std::string> train_model(const TraindSpmApi* api, const std::vector<std::string_view>& texts,
                                const TextTokenizer::Options& options) {
  std::vector<const char*> data;
  std::vector<size_t> sizes;
  for (std::string_view text : texts) {
    data.push_back(text.data());
    sizes.push_back(text.size());
  }
  const auto spec = training_spec(options);
  std::vector<const char*> names, values;
  for (const auto& [name, value] : spec) {
    names.push_back(name.c_str());
    values.push_back(value.c_str());
  }
  char* model = nullptr;
  size_t model_size = 0;
  char* error = nullptr;
  const int result = api->train(data.data(), sizes.data(), data.size(), names.data(), values.data(),
                                names.size(), &model, &model_size, &error);
  if (result == kTraindSpmOutOfMemory) return out_of_memory("training the text tokenizer");
  if (result != kTraindSpmOk) return training_error(take_message(api, error), options.vocab_size);
  std::string bytes(model, model_size);
  api->release(model);
  return bytes;
}

// A model trained on "a", used only for its normalizer: sentencepiece's unigram trainer
// aborts the process (a CHECK, not a Status) when every training text normalises to
// nothing, e.g. texts of control characters or Unicode spaces, so such texts must be told
// apart before training. Null when it could not be built.
const TraindSpmProcessor* normalization_probe(const TraindSpmApi* api) {
  static TraindSpmProcessor* const probe = [api]() -> TraindSpmProcessor* {
    auto model = train_model(api, {"a"}, TextTokenizer::Options{});
    TraindSpmProcessor* processor = nullptr;
    char* error = nullptr;
    if (!model.is_ok() ||
        api->load(model->data(), model->size(), &processor, &error) != kTraindSpmOk) {
      if (error) api->release(error);
      return nullptr;
    }
    return processor;  // kept for the life of the process
  }();
  return probe;
}

// Whether a text still has characters after normalisation, i.e. something to learn from.
bool has_visible_character(const TraindSpmApi* api, std::string_view text) {
  // Printable ASCII other than space survives NFKC and case folding: the common, cheap case.
  if (std::any_of(text.begin(), text.end(), [](char c) { return c > ' ' && c < 0x7f; })) {
    return true;
  }
  if (std::all_of(text.begin(), text.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    return false;  // only ASCII spaces and control characters
  }
  const TraindSpmProcessor* probe = normalization_probe(api);
  int id = 0;
  size_t count = 0;
  return probe != nullptr && api->encode(probe, text.data(), text.size(), &id, 1, &count) == 0 &&
         count > 0;
}

// splitmix64: the sampling below must not depend on the standard library's distributions.
uint64_t next_random(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

// The texts to train on (their first kMaxTrainingTextBytes): every text with something
// visible, or, above `max_count`, a seeded random subset of them kept in their original
// order (the texts may be sorted by date or label, so the first ones would be biased).
std::vector<std::string_view> select_training_texts(const TraindSpmApi* api,
                                                    const std::vector<std::string>& texts,
                                                    size_t max_count, uint64_t seed) {
  std::vector<size_t> picked;
  for (size_t i = 0; i < texts.size(); ++i) {
    if (has_visible_character(api, utf8_prefix(texts[i], kMaxTrainingTextBytes))) {
      picked.push_back(i);
    }
  }
  if (max_count != 0 && picked.size() > max_count) {
    uint64_t state = seed;
    for (size_t i = 0; i < max_count; ++i) {  // partial Fisher-Yates
      const size_t j = i + static_cast<size_t>(next_random(state) % (picked.size() - i));
      std::swap(picked[i], picked[j]);
    }
    picked.resize(max_count);
    std::sort(picked.begin(), picked.end());
  }
  std::vector<std::string_view> selected;
  selected.reserve(picked.size());
  for (size_t i : picked) selected.push_back(utf8_prefix(texts[i], kMaxTrainingTextBytes));
  return selected;
}

Status check_options(const TextTokenizer::Options& options) {
  if (options.model_type != "unigram" && options.model_type != "bpe") {
    return Status(ErrorCode::kInvalidConfig,
                  "tokenizer must be \"unigram\" or \"bpe\", not \"" + options.model_type + "\"");
  }
  if (options.vocab_size < 3) {
    return Status(ErrorCode::kInvalidConfig,
                  "vocab_size must be at least 3, not " + std::to_string(options.vocab_size));
  }
  if (options.max_length < 1) {
    return Status(ErrorCode::kInvalidConfig,
                  "max_length must be at least 1, not " + std::to_string(options.max_length));
  }
  return Status::ok();
}

}  // namespace

struct TextTokenizer::Model {
  Model(const TraindSpmApi* api, TraindSpmProcessor* processor) : api(api), processor(processor) {}
  Model(const Model&) = delete;
  Model& operator=(const Model&) = delete;
  ~Model() { api->destroy(processor); }

  const TraindSpmApi* const api;
  TraindSpmProcessor* const processor;
  int piece_count = 0;
};

TextTokenizer::TextTokenizer(std::unique_ptr<Model> model, int max_length)
    : model_(std::move(model)), max_length_(max_length) {}
TextTokenizer::TextTokenizer(TextTokenizer&&) noexcept = default;
TextTokenizer& TextTokenizer::operator=(TextTokenizer&&) noexcept = default;
TextTokenizer::~TextTokenizer() = default;

Result<TextTokenizer> TextTokenizer::train(const std::vector<std::string>& texts,
                                           const Options& options) {
  TRAIND_RETURN_IF_ERROR(check_options(options));
  auto api = sentencepiece_module();
  if (!api.is_ok()) return api.status();
  try {
    const std::vector<std::string_view> selected =
        select_training_texts(*api, texts, options.max_training_sentences, options.seed);
    if (selected.empty()) {
      return Status(ErrorCode::kDataError,
                    "the text column has nothing to train a tokenizer on: all " +
                        std::to_string(texts.size()) + " training texts are empty or blank");
    }
    auto model = train_model(*api, selected, options);
    if (!model.is_ok()) return model.status();
    return from_serialized(*model, options.max_length);
  } catch (const std::bad_alloc&) {
    return out_of_memory("training the text tokenizer");
  }
}

Result<TextTokenizer> TextTokenizer::from_serialized(const std::string& model_proto,
                                                     int max_length) {
  if (max_length < 1) {
    return Status(ErrorCode::kInvalidConfig,
                  "max_length must be at least 1, not " + std::to_string(max_length));
  }
  auto api = sentencepiece_module();
  if (!api.is_ok()) return api.status();
  TraindSpmProcessor* processor = nullptr;
  char* error = nullptr;
  const int result = (*api)->load(model_proto.data(), model_proto.size(), &processor, &error);
  if (result == kTraindSpmOutOfMemory) return out_of_memory("loading the text tokenizer");
  if (result != kTraindSpmOk) {
    return Status(ErrorCode::kDataError,
                  "not a valid sentencepiece tokenizer model: " + take_message(*api, error));
  }
  try {
    auto model = std::make_unique<Model>(*api, processor);
    int pad_id = -1, unk_id = -1;
    (*api)->describe(processor, &model->piece_count, &pad_id, &unk_id);
    if (pad_id != kPadId || unk_id != kUnkId) {
      return Status(ErrorCode::kDataError,
                    "the sentencepiece tokenizer model must have pad id 0 and unknown id 1, not " +
                        std::to_string(pad_id) + " and " + std::to_string(unk_id));
    }
    return TextTokenizer(std::move(model), max_length);
  } catch (const std::bad_alloc&) {
    (*api)->destroy(processor);
    return out_of_memory("loading the text tokenizer");
  }
}

std::string TextTokenizer::serialized() const {
  char* model = nullptr;
  size_t model_size = 0;
  if (model_->api->serialize(model_->processor, &model, &model_size) != kTraindSpmOk) {
    throw std::bad_alloc();
  }
  std::string bytes(model, model_size);
  model_->api->release(model);
  return bytes;
}

int TextTokenizer::vocab_size() const { return model_->piece_count; }

int TextTokenizer::max_length() const { return max_length_; }

void TextTokenizer::encode(const std::vector<std::string>& texts, int64_t* out) const {
  encode(texts.data(), texts.size(), out);
}

void TextTokenizer::encode(const std::string* texts, size_t count, int64_t* out) const {
  const size_t length = static_cast<size_t>(max_length_);
  const size_t byte_limit = length * kEncodeBytesPerToken + kEncodeMarginBytes;
  std::vector<int> ids(length);
  for (size_t i = 0; i < count; ++i) {
    const std::string_view text = utf8_prefix(texts[i], byte_limit);
    size_t kept = 0;
    const int result =
        model_->api->encode(model_->processor, text.data(), text.size(), ids.data(), length, &kept);
    if (result == kTraindSpmOutOfMemory) throw std::bad_alloc();
    // Encoding fails only on a processor without a model, which from_serialized rules out;
    // should it fail anyway the row stays all padding.
    if (result != kTraindSpmOk) kept = 0;
    int64_t* row = out + i * length;
    std::copy(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(kept), row);
    std::fill(row + kept, row + length, static_cast<int64_t>(kPadId));
  }
}

}  // namespace traind::algorithms::nn
