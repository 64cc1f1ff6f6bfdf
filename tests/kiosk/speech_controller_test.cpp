// Reading aloud through the kiosk's controller, without a window: the view's
// commands reach the speaker (synthesising to memory, no audio device), a
// tap stops it, and leaving the screen, logging out or the idle reset stop
// it too. Without a speaker the button's state is unavailable.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "kiosk/app/controller.hpp"
#include "shared/pin.hpp"
#include "shared/store.hpp"
#include "tests/kiosk/controller_support.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/temp_dir.hpp"

using namespace shouxin;
using namespace shouxin::kiosk;
using shouxin::test::TempDir;

namespace {

const Date kToday = Date::fromCivil(2026, 6, 10);

/// A node with one overdue commitment and a controller on it.
struct Kiosk {
    TempDir dir;
    Options options;
    std::string commitment;
    std::int64_t now = 1'780'000'000'000;
    std::vector<std::string> traced;
    std::unique_ptr<Controller> controller;  // last: gone before what its hooks use

    explicit Kiosk(std::string voice = "cmn") {
        options.db = dir / "office.db";
        options.syncIntervalSeconds = 0;
        options.speechVoice = std::move(voice);
        commitment = test::makeClerkOffice(options.db, kToday);
        controller = test::startController(options, kToday, test::testHooks(now, traced));
    }

    const AppState& state() const { return controller->state(); }

    void send(Command command) { test::send(*controller, std::move(command)); }

    /// The speaker set up (memory output) and its status read, as a frame would.
    void startSpeech() {
        controller->startSpeech(Speaker::Output::memory);
        controller->speaker()->waitUntilIdle();
        controller->beginFrame();
    }

    /// Waits for the speaker, then reads its status as the next frame would.
    void settle() {
        controller->speaker()->waitUntilIdle();
        controller->beginFrame();
    }

    int count(const std::string& line) const {
        return static_cast<int>(std::count(traced.begin(), traced.end(), line));
    }
};

}  // namespace

TEST_CASE("read aloud on a commitment speaks its text in Mandarin and a tap stops it", "[kiosk][speech]") {
    Kiosk k;
    k.send(OpenCommitment{k.commitment});
    CHECK_FALSE(k.state().speech.available);  // no speaker yet: no button
    k.startSpeech();
    REQUIRE(k.state().speech.available);
    CHECK_FALSE(k.state().speech.speaking);

    k.send(ReadAloud{});
    CHECK(k.state().speech.speaking);  // the button turns into "stop" at once
    CHECK(k.count("speak detail") == 1);
    k.settle();
    CHECK_FALSE(k.state().speech.speaking);  // done: the button reads "read aloud" again
    auto said = k.controller->speaker()->said();
    REQUIRE(said.size() == 1);
    CHECK(said[0].voice == "cmn");
    CHECK(said[0].text.find("高龄津贴按月发放") == 0);
    CHECK(said[0].text.find("逾期") != std::string::npos);
    CHECK(said[0].text.find("十个工作日") != std::string::npos);          // the time limit, as said
    CHECK(said[0].text.find("二〇二六年六月七日") != std::string::npos);  // the deadline, as said
    CHECK(said[0].text.find("社会事务办公室") != std::string::npos);
    CHECK(said[0].text.find_first_of("0123456789%") == std::string::npos);
    CHECK(said[0].speech.rms() > 500.0);
    CHECK(said[0].speech.seconds() > 5.0);

    // Stop: one tap, the button is back at once, the speaker is told.
    k.send(ReadAloud{});
    k.send(StopReading{});
    CHECK_FALSE(k.state().speech.speaking);
    CHECK(k.count("speak-stop") == 1);
    k.settle();
    CHECK_FALSE(k.state().speech.speaking);
    said = k.controller->speaker()->said();
    if (said.size() == 2) CHECK(said[1].stopped);
}

TEST_CASE("leaving the screen and logging out stop reading aloud, and the idle countdown waits for it",
          "[kiosk][speech]") {
    Kiosk k;
    k.startSpeech();
    k.send(OpenFigures{});
    k.send(ReadAloud{});
    CHECK(k.count("speak figures") == 1);
    CHECK(k.state().speech.speaking);
    k.send(GoBack{});  // navigation away
    CHECK_FALSE(k.state().speech.speaking);
    CHECK(k.count("speak-stop") == 1);
    k.settle();

    k.send(OpenCommitment{k.commitment});
    k.send(ReadAloud{});
    k.send(SetLang{Lang::en});  // no longer in the language shown
    CHECK_FALSE(k.state().speech.speaking);
    CHECK(k.count("speak-stop") == 2);
    k.send(ReadAloud{});  // English text, English voice
    k.settle();
    const auto said = k.controller->speaker()->said();
    REQUIRE_FALSE(said.empty());
    CHECK(said.back().voice == "en");
    CHECK(said.back().text.find("Department") != std::string::npos);

    // Listening is using the kiosk: no countdown while it reads, the idle
    // reset once it has finished and nobody touched the screen.
    k.send(ReadAloud{});
    k.controller->noteActivity();
    const std::int64_t idle =
        static_cast<std::int64_t>(k.options.idleSeconds + k.options.countdownSeconds) * 1000;
    k.now += idle;
    k.controller->checkIdle();
    CHECK(k.count("idle-reset") == 0);
    CHECK(k.state().speech.speaking);
    k.settle();  // read to the end
    CHECK_FALSE(k.state().speech.speaking);
    k.now += idle;
    k.controller->checkIdle();
    CHECK(k.count("idle-reset") == 1);
    CHECK(k.count("speak-stop") == 2);

    k.send(OpenLogin{});
    k.send(Login{"zhang", "246810"});
    REQUIRE(k.state().session);
    k.send(OpenCommitment{k.commitment});
    k.send(ReadAloud{});
    k.send(Logout{});
    CHECK_FALSE(k.state().speech.speaking);
    CHECK(k.count("speak-stop") == 3);
}

TEST_CASE("the kiosk configured for Cantonese reads Chinese with the Cantonese voice", "[kiosk][speech]") {
    Kiosk k("yue");
    k.startSpeech();
    k.send(OpenCommitment{k.commitment});
    k.send(ReadAloud{});
    k.settle();
    const auto said = k.controller->speaker()->said();
    REQUIRE(said.size() == 1);
    CHECK(said[0].voice == "yue");
    CHECK(said[0].speech.rms() > 500.0);
}

TEST_CASE("without an audio device or with speech off the read-out is unavailable and commands do nothing",
          "[kiosk][speech]") {
    SECTION("speech off") {
        Kiosk k("off");
        k.controller->startSpeech(Speaker::Output::memory);
        CHECK(k.controller->speaker() == nullptr);
        k.send(OpenCommitment{k.commitment});
        k.controller->beginFrame();
        CHECK_FALSE(k.state().speech.available);
        k.send(ReadAloud{});
        CHECK_FALSE(k.state().speech.speaking);
        CHECK(k.count("speak detail") == 0);
    }
    SECTION("no device") {
        if (audioDeviceAvailable()) return;  // this machine has one: nothing to check
        Kiosk k;
        k.controller->startSpeech(Speaker::Output::device);
        k.controller->speaker()->waitUntilIdle();
        k.controller->beginFrame();
        CHECK_FALSE(k.state().speech.available);
        k.send(OpenCommitment{k.commitment});
        k.send(ReadAloud{});
        CHECK_FALSE(k.state().speech.speaking);
        CHECK(k.count("speak detail") == 0);
    }
}
