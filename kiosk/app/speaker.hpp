#pragma once
// The kiosk's read-out: one thread that owns the speech synthesiser
// (espeak-ng) and speaks what the UI thread queues, so that neither
// synthesis nor playback ever runs on the UI thread (STYLE.md "Threads").
// The controller sends it text and stop requests and reads its status once
// per frame; no espeak type appears here.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace shouxin::kiosk {

class Speaker;
void notePlayed(Speaker& speaker, unsigned id);
bool cancelRequested(Speaker& speaker);

/// Speech synthesised to memory: mono 16-bit samples.
struct Speech {
    std::vector<std::int16_t> samples;
    int sampleRate = 0;
    double seconds() const;
    /// Root mean square of the samples, 0 for silence, 32767 at most.
    double rms() const;
};

/// Synthesises `text` with `voice` ("cmn", "yue", "en") to memory on the
/// calling thread; nullopt when the synthesiser or the voice is missing.
/// espeak-ng is one per process: not while a Speaker on the device runs.
std::optional<Speech> synthesize(std::string_view text, std::string_view voice);

/// Whether a sound card or sound server is there to play on (checked the
/// way espeak-ng's own playback opens it).
bool audioDeviceAvailable();

class Speaker {
public:
    enum class Output {
        device,  // the sound card; unavailable (one logged line) without one
        memory,  // synthesised to memory and kept (tests: no device needed)
    };
    struct Status {
        bool ready = false;      // the synthesiser was set up (or found missing)
        bool available = false;  // it can speak: the read-out button is shown
        bool speaking = false;   // speaking or about to
    };
    /// Output::memory: what the speaker said, with its audio.
    struct Utterance {
        std::string text;
        std::string voice;
        Speech speech;
        bool stopped = false;  // cut short by stop()
    };

    /// Sets the synthesiser up on its own thread; `wake` is called from it
    /// when the status changes (glfwPostEmptyEvent).
    Speaker(Output output, std::function<void()> wake);
    ~Speaker();  // stops speaking, joins
    Speaker(const Speaker&) = delete;
    Speaker& operator=(const Speaker&) = delete;

    /// Speaks `text`, cutting short whatever was being said.
    void say(std::string text, std::string voice);
    /// Stops at once (espeak_Cancel); a no-op when silent.
    void stop();
    /// A copy under a short lock (UI thread, once per frame).
    Status status() const;
    /// Headless use: waits until set up, nothing queued, nothing speaking.
    void waitUntilIdle() const;
    std::vector<Utterance> said() const;

private:
    struct Say {
        std::string text;
        std::string voice;
    };
    void loop();
    bool setUp();
    void speak(const Say& say);
    void finished(unsigned id);  // espeak's callback thread: that utterance was played

    Output m_output;
    std::function<void()> m_wake;
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_cv;
    std::deque<Say> m_queue;
    Status m_status;
    bool m_playing = false;    // device: an utterance was handed to espeak and not yet played
    unsigned m_playingId = 0;  // its espeak id
    unsigned m_lastPlayedId = 0;
    bool m_cancel = false;     // stop(): abandon what is being said
    bool m_stopRequested = false;
    bool m_quit = false;
    std::vector<Utterance> m_said;
    std::thread m_thread;

    friend void notePlayed(Speaker& speaker, unsigned id);
    friend bool cancelRequested(Speaker& speaker);
};

}  // namespace shouxin::kiosk
