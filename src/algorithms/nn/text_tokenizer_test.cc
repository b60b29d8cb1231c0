#include "algorithms/nn/text_tokenizer.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "algorithms/nn/sanitizer_skips_for_tests.h"

namespace traind::algorithms::nn {
namespace {

std::vector<std::string> ticket_texts() {
  const std::vector<std::string> openings = {
      "I was charged twice for my subscription",    "The app crashes when I open the dashboard",
      "Please reset the password of my account",    "My package has not arrived yet",
      "Could you add a dark mode to the editor",    "The invoice shows the wrong billing address",
      "Login fails with an error after the update", "Where is my order, the tracking is stuck",
  };
  const std::vector<std::string> endings = {
      "and I need help.", "since yesterday.",           "please fix this quickly.",
      "thanks a lot!",    "It is urgent for our team.",
  };
  std::vector<std::string> texts;
  for (size_t i = 0; i < 400; ++i) {
    texts.push_back(openings[i % openings.size()] + " " + endings[(i / 3) % endings.size()]);
  }
  return texts;
}

TextTokenizer::Options small_options(const std::string& model_type) {
  TextTokenizer::Options options;
  options.vocab_size = 200;
  options.model_type = model_type;
  options.max_length = 16;
  return options;
}

std::vector<int64_t> encode(const TextTokenizer& tokenizer, const std::vector<std::string>& texts) {
  std::vector<int64_t> ids(texts.size() * static_cast<size_t>(tokenizer.max_length()), -7);
  tokenizer.encode(texts, ids.data());
  return ids;
}

TEST(TextTokenizer, TrainsUnigramAndBpeWithinTheVocabularyBound) {
  TRAIND_SKIP_WITHOUT_TOKENIZER();
  for (const std::string model_type : {"unigram", "bpe"}) {
    SCOPED_TRACE(model_type);
    auto tokenizer = TextTokenizer::train(ticket_texts(), small_options(model_type));
    ASSERT_TRUE(tokenizer.is_ok()) << tokenizer.status().to_string();
    EXPECT_GT(tokenizer->vocab_size(), 20);
    EXPECT_LE(tokenizer->vocab_size(), 200);
    EXPECT_EQ(tokenizer->max_length(), 16);
    const std::vector<int64_t> ids = encode(*tokenizer, {"my package has not arrived"});
    for (int64_t id : ids) {
      EXPECT_GE(id, 0);
      EXPECT_LT(id, tokenizer->vocab_size());
    }
    EXPECT_GT(ids[0], 1);  // a real piece, neither padding nor unknown
  }
}

TEST(TextTokenizer, SmallCorpusGetsAVocabularySmallerThanRequested) {
  TRAIND_SKIP_WITHOUT_TOKENIZER();
  TextTokenizer::Options options;  // vocab_size 8000
  auto tokenizer = TextTokenizer::train({"hello world", "hello there"}, options);
  ASSERT_TRUE(tokenizer.is_ok()) << tokenizer.status().to_string();
  EXPECT_LT(tokenizer->vocab_size(), 100);
}

TEST(TextTokenizer, TruncatesToMaxLengthAndPadsWithZero) {
  TRAIND_SKIP_WITHOUT_TOKENIZER();
  auto tokenizer = TextTokenizer::train(ticket_texts(), small_options("unigram"));
  ASSERT_TRUE(tokenizer.is_ok()) << tokenizer.status().to_string();
  std::string long_text;
  for (int i = 0; i < 50; ++i) long_text += "the invoice shows the wrong billing address ";
  const std::vector<int64_t> ids = encode(*tokenizer, {"thanks", long_text, ""});
  ASSERT_EQ(ids.size(), 48u);
  // "thanks": a few tokens, then padding to the end of its row.
  EXPECT_GT(ids[0], 1);
  EXPECT_EQ(ids[15], 0);
  // The long text fills its whole row with real tokens.
  for (size_t j = 16; j < 32; ++j) EXPECT_GT(ids[j], 1) << j;
  // The empty text is all padding.
  for (size_t j = 32; j < 48; ++j) EXPECT_EQ(ids[j], 0) << j;
}

TEST(TextTokenizer, FoldsCase) {
  TRAIND_SKIP_WITHOUT_TOKENIZER();
  auto tokenizer = TextTokenizer::train(ticket_texts(), small_options("unigram"));
  ASSERT_TRUE(tokenizer.is_ok()) << tokenizer.status().to_string();
  EXPECT_EQ(encode(*tokenizer, {"MY PACKAGE Has Not Arrived"}),
            encode(*tokenizer, {"my package has not arrived"}));
}

TEST(TextTokenizer, UnseenCharactersBecomeTheUnknownId) {
  TRAIND_SKIP_WITHOUT_TOKENIZER();
  auto tokenizer = TextTokenizer::train(ticket_texts(), small_options("bpe"));
  ASSERT_TRUE(tokenizer.is_ok()) << tokenizer.status().to_string();
  const std::vector<int64_t> ids = encode(*tokenizer, {"\xe6\xbc\xa2\xe5\xad\x97 zqxj"});
  bool has_unknown = false;
  for (int64_t id : ids) has_unknown = has_unknown || id == 1;
  EXPECT_TRUE(has_unknown);
  // A word never seen but made of known letters is split into pieces, not unknown.
  const std::vector<int64_t> word = encode(*tokenizer, {"dashboarding"});
  for (int i = 0; i < 3; ++i) EXPECT_NE(word[static_cast<size_t>(i)], 1);
}

TEST(TextTokenizer, SerializedModelEncodesIdentically) {
  TRAIND_SKIP_WITHOUT_TOKENIZER();
  auto trained = TextTokenizer::train(ticket_texts(), small_options("unigram"));
  ASSERT_TRUE(trained.is_ok()) << trained.status().to_string();
  auto loaded = TextTokenizer::from_serialized(trained->serialized(), 16);
  ASSERT_TRUE(loaded.is_ok()) << loaded.status().to_string();
  EXPECT_EQ(loaded->vocab_size(), trained->vocab_size());
  EXPECT_EQ(loaded->serialized(), trained->serialized());
  const std::vector<std::string> texts = {"the app crashes on login", "Where is my ORDER?", "",
                                          "dark mode please"};
  EXPECT_EQ(encode(*loaded, texts), encode(*trained, texts));
}

TEST(TextTokenizer, MovedTokenizerKeepsWorking) {
  TRAIND_SKIP_WITHOUT_TOKENIZER();
  auto trained = TextTokenizer::train(ticket_texts(), small_options("bpe"));
  ASSERT_TRUE(trained.is_ok()) << trained.status().to_string();
  const std::vector<int64_t> before = encode(*trained, {"reset my password"});
  TextTokenizer moved = std::move(trained).value();
  EXPECT_EQ(encode(moved, {"reset my password"}), before);
}

TEST(TextTokenizer, EncodesFromSeveralThreadsAtOnce) {
  TRAIND_SKIP_WITHOUT_TOKENIZER();
  auto tokenizer = TextTokenizer::train(ticket_texts(), small_options("unigram"));
  ASSERT_TRUE(tokenizer.is_ok()) << tokenizer.status().to_string();
  const std::vector<std::string> texts = ticket_texts();
  const std::vector<int64_t> expected = encode(*tokenizer, texts);
  std::vector<std::vector<int64_t>> results(4);
  std::vector<std::thread> threads;
  for (auto& result : results) {
    threads.emplace_back([&] { result = encode(*tokenizer, texts); });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& result : results) EXPECT_EQ(result, expected);
}

TEST(TextTokenizer, TrainingIsDeterministic) {
  TRAIND_SKIP_WITHOUT_TOKENIZER();
  for (const std::string model_type : {"unigram", "bpe"}) {
    SCOPED_TRACE(model_type);
    auto first = TextTokenizer::train(ticket_texts(), small_options(model_type));
    auto second = TextTokenizer::train(ticket_texts(), small_options(model_type));
    ASSERT_TRUE(first.is_ok() && second.is_ok());
    EXPECT_EQ(first->serialized(), second->serialized());
  }
}

TEST(TextTokenizer, SamplesTrainingTextsDeterministically) {
  TRAIND_SKIP_WITHOUT_TOKENIZER();
  TextTokenizer::Options options = small_options("unigram");
  options.max_training_sentences = 50;
  options.seed = 3;
  auto first = TextTokenizer::train(ticket_texts(), options);
  auto second = TextTokenizer::train(ticket_texts(), options);
  ASSERT_TRUE(first.is_ok() && second.is_ok()) << first.status().to_string();
  EXPECT_EQ(first->serialized(), second->serialized());
}

TEST(TextTokenizer, CorpusWithNothingToLearnIsADataError) {
  // The last: control characters and Unicode spaces, which normalisation removes (they
  // would make sentencepiece's trainer abort the process).
  for (const std::vector<std::string>& texts :
       {std::vector<std::string>{}, std::vector<std::string>{"", "", "  \n"},
        std::vector<std::string>{"\x01\x02", "\xc2\xa0\xe3\x80\x80", "\xe2\x80\x8b"}}) {
    auto tokenizer = TextTokenizer::train(texts, small_options("unigram"));
    ASSERT_FALSE(tokenizer.is_ok());
    EXPECT_EQ(tokenizer.status().code(), ErrorCode::kDataError);
    EXPECT_NE(tokenizer.status().message().find("empty"), std::string::npos);
  }
}

TEST(TextTokenizer, RejectsBadOptions) {
  TRAIND_SKIP_WITHOUT_TOKENIZER();
  TextTokenizer::Options options = small_options("wordpiece");
  EXPECT_EQ(TextTokenizer::train(ticket_texts(), options).status().code(),
            ErrorCode::kInvalidConfig);
  options = small_options("bpe");
  options.vocab_size = 10;  // fewer than the distinct characters
  auto tokenizer = TextTokenizer::train(ticket_texts(), options);
  ASSERT_FALSE(tokenizer.is_ok());
  EXPECT_EQ(tokenizer.status().code(), ErrorCode::kInvalidConfig);
  EXPECT_NE(tokenizer.status().message().find("vocab_size"), std::string::npos);
}

TEST(TextTokenizer, RejectsBytesThatAreNotAModel) {
  auto tokenizer = TextTokenizer::from_serialized("not a model", 16);
  ASSERT_FALSE(tokenizer.is_ok());
  EXPECT_EQ(tokenizer.status().code(), ErrorCode::kDataError);
}

}  // namespace
}  // namespace traind::algorithms::nn
