// TextTokenizer: a sentencepiece subword model trained on the training texts of a text
// column, turning each text into a fixed-length row of token ids for the network.
//
// Ids are 0..vocab_size()-1; 0 is padding, 1 the unknown piece; no BOS/EOS. Text is
// NFKC-normalised and case-folded before it is split. Training is deterministic for the same
// texts and options. encode() is const and safe to call from several threads at once.
// sentencepiece itself runs in libtraind_sentencepiece.so, opened on first use (see
// sentencepiece/sentencepiece_c_api.h for why it cannot be linked beside libtorch).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

namespace traind::algorithms::nn {

class TextTokenizer {
 public:
  struct Options {
    int vocab_size = 8000;               // an upper bound: a small corpus gets a smaller vocabulary
    std::string model_type = "unigram";  // or "bpe"
    int max_length = 128;                // tokens per text after truncation/padding
    uint64_t seed = 0;  // picks the sample when there are more than max_training_sentences
    int threads = 1;
    // Above this many non-blank texts, a seeded random sample of this size is trained on.
    size_t max_training_sentences = 200000;
  };

  // kDataError when no text has anything to learn from (all empty or blank),
  // kInvalidConfig for bad options or a vocab_size below the number of distinct characters,
  // kOutOfMemory on allocation failure. Blank texts are skipped; of a long text only the
  // first 8 KiB is trained on.
  static Result<TextTokenizer> train(const std::vector<std::string>& texts, const Options& options);
  // From the bytes serialized() returned; kDataError when they are not a valid model.
  static Result<TextTokenizer> from_serialized(const std::string& model_proto, int max_length);

  // A moved-from tokenizer may only be assigned to or destroyed.
  TextTokenizer(TextTokenizer&&) noexcept;
  TextTokenizer& operator=(TextTokenizer&&) noexcept;
  ~TextTokenizer();

  std::string serialized() const;  // the ModelProto bytes; throws only std::bad_alloc
  int vocab_size() const;          // ids are 0..vocab_size()-1; 0 is the pad id
  int max_length() const;

  // Token ids of each text, truncated to max_length, right-padded with 0:
  // texts.size()*max_length values. "" gives a row of padding. Only the first
  // 64*max_length + 1024 bytes of a text are looked at (more than max_length pieces need).
  // Throws only std::bad_alloc.
  void encode(const std::vector<std::string>& texts, int64_t* out) const;
  void encode(const std::string* texts, size_t count, int64_t* out) const;

 private:
  struct Model;  // a model loaded in libtraind_sentencepiece.so

  TextTokenizer(std::unique_ptr<Model> model, int max_length);

  std::unique_ptr<Model> model_;
  int max_length_ = 0;
};

}  // namespace traind::algorithms::nn
