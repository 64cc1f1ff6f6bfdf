// The read-out's speech, synthesised to memory (no audio device needed):
// measured, since nobody listens to a test. Mandarin at espeak-ng's default
// rate takes roughly 0.3 s a character, pauses included.
#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "kiosk/app/speaker.hpp"
#include "kiosk/ui/speech_text.hpp"

using namespace shouxin;
using namespace shouxin::kiosk;

namespace {

// Chinese characters (CJK ideographs and 〇) in UTF-8 text.
int hanCount(std::string_view text) {
    int n = 0;
    for (std::size_t i = 0; i + 2 < text.size();) {
        const auto b = static_cast<unsigned char>(text[i]);
        if ((b & 0xF0) == 0xE0) {
            const unsigned cp = ((b & 0x0Fu) << 12) | ((static_cast<unsigned char>(text[i + 1]) & 0x3Fu) << 6) |
                                (static_cast<unsigned char>(text[i + 2]) & 0x3Fu);
            if ((cp >= 0x4E00 && cp <= 0x9FFF) || cp == 0x3007) ++n;
            i += 3;
        } else {
            i += (b < 0x80) ? 1 : (b & 0xE0) == 0xC0 ? 2 : 4;
        }
    }
    return n;
}

constexpr double kSpeechRms = 500.0;  // of 32767: well above silence and dither

const std::string kShort = speakableText("高龄津贴按月发放。期限：2026-11-11。", Lang::zh);
const std::string kLong = speakableText(
    "高龄津贴按月发放。状态：办理中。期限：2026-11-11，还剩 48 天。办理时限：10个工作日。"
    "责任部门：社会事务办公室。最新进展：2026-06-01，办理中，进度52.4%。已受理38份申请。",
    Lang::zh);

}  // namespace

TEST_CASE("a commitment read in Mandarin is speech of the length its characters need", "[kiosk][speech]") {
    const auto speech = synthesize(kShort, "cmn");
    REQUIRE(speech);
    CHECK(speech->sampleRate > 0);
    const int chars = hanCount(kShort);
    REQUIRE(chars > 10);
    INFO("short: " << chars << " characters, " << speech->seconds() << " s, RMS " << speech->rms());
    CHECK(speech->rms() > kSpeechRms);
    CHECK(speech->seconds() > 0.1 * chars);
    CHECK(speech->seconds() < 0.5 * chars);

    const auto longer = synthesize(kLong, "cmn");
    REQUIRE(longer);
    const int longChars = hanCount(kLong);
    INFO("long: " << longChars << " characters, " << longer->seconds() << " s, RMS " << longer->rms());
    CHECK(longer->rms() > kSpeechRms);
    CHECK(longer->seconds() > 0.1 * longChars);
    CHECK(longer->seconds() < 0.5 * longChars);
    // Proportionally longer: seconds per character within a factor of 1.5.
    const double perChar = speech->seconds() / chars;
    const double longPerChar = longer->seconds() / longChars;
    CHECK(longer->seconds() > speech->seconds() * 2);
    CHECK(longPerChar > perChar / 1.5);
    CHECK(longPerChar < perChar * 1.5);
}

TEST_CASE("Cantonese and English voices also give speech", "[kiosk][speech]") {
    const auto yue = synthesize(kShort, "yue");
    REQUIRE(yue);
    INFO("yue: " << yue->seconds() << " s, RMS " << yue->rms());
    CHECK(yue->rms() > kSpeechRms);
    CHECK(yue->seconds() > 0.1 * hanCount(kShort));
    CHECK(yue->seconds() < 0.5 * hanCount(kShort));

    const auto en = synthesize(speakableText("Elderly allowance paid monthly. Due: 2026-11-11.", Lang::en), "en");
    REQUIRE(en);
    INFO("en: " << en->seconds() << " s, RMS " << en->rms());
    CHECK(en->rms() > kSpeechRms);
    CHECK(en->seconds() > 1.5);
    CHECK(en->seconds() < 8.0);
}

TEST_CASE("a voice that is not installed gives no speech rather than the wrong language", "[kiosk][speech]") {
    CHECK_FALSE(synthesize("你好", "no-such-voice"));
}

TEST_CASE("the speaker speaks on its own thread and stops when asked", "[kiosk][speech]") {
    Speaker speaker(Speaker::Output::memory, {});
    speaker.waitUntilIdle();
    REQUIRE(speaker.status().available);
    speaker.say(kShort, "cmn");
    CHECK(speaker.status().speaking);  // at once, before the thread has it
    speaker.waitUntilIdle();
    CHECK_FALSE(speaker.status().speaking);
    REQUIRE(speaker.said().size() == 1);
    const Speaker::Utterance first = speaker.said()[0];
    CHECK(first.voice == "cmn");
    CHECK_FALSE(first.stopped);
    CHECK(first.speech.rms() > kSpeechRms);

    // Stopped at once: whatever was said of it is cut short or never begun.
    speaker.say(kLong, "yue");
    speaker.stop();
    CHECK_FALSE(speaker.status().speaking);
    speaker.waitUntilIdle();
    const auto said = speaker.said();
    if (said.size() == 2) CHECK(said[1].stopped);
}
