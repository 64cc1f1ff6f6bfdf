#include "kiosk/app/speaker.hpp"

#include <espeak-ng/speak_lib.h>
#include <pcaudiolib/audio.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace shouxin::kiosk {

namespace {

// espeak-ng keeps one synthesiser per process, and calls back through one
// function pointer: what that callback works for is kept here, under
// g_espeak (taken by whoever calls into espeak-ng, never by the callback).
std::mutex g_espeak;
int g_mode = -1;     // espeak_AUDIO_OUTPUT it was set up for, -1 none
int g_rate = 0;      // its sample rate
Speaker* g_speaker = nullptr;              // device output: who is told what was played
std::vector<std::int16_t>* g_buffer = nullptr;  // memory output: where samples go

int onSynth(short* samples, int count, espeak_EVENT* events) {
    if (g_buffer && samples && count > 0) g_buffer->insert(g_buffer->end(), samples, samples + count);
    for (espeak_EVENT* e = events; e && e->type != espeakEVENT_LIST_TERMINATED; ++e) {
        if (e->type == espeakEVENT_MSG_TERMINATED && g_speaker) notePlayed(*g_speaker, e->unique_identifier);
    }
    // Memory output runs on the speaker's thread: 1 abandons the synthesis.
    return g_buffer && g_speaker && cancelRequested(*g_speaker) ? 1 : 0;
}

// Under g_espeak. espeak-ng must be set up again to change its output.
bool initialise(espeak_AUDIO_OUTPUT mode) {
    if (g_mode == static_cast<int>(mode)) return true;
    if (g_mode >= 0) espeak_Terminate();
    g_mode = -1;
    const int rate = espeak_Initialize(mode, 0, nullptr, 0);
    if (rate <= 0) return false;
    g_mode = static_cast<int>(mode);
    g_rate = rate;
    espeak_SetSynthCallback(onSynth);
    return true;
}

// Under g_espeak, memory output set up.
std::optional<Speech> synthesizeLocked(std::string_view text, std::string_view voice, bool& stopped) {
    const std::string name(voice);
    if (espeak_SetVoiceByName(name.c_str()) != EE_OK) {
        std::cerr << "shouxin-kiosk: no speech voice \"" << name << "\" (espeak-ng-data)\n";
        return std::nullopt;
    }
    Speech speech;
    speech.sampleRate = g_rate;
    g_buffer = &speech.samples;
    const std::string utf8(text);
    const espeak_ERROR result = espeak_Synth(utf8.c_str(), utf8.size() + 1, 0, POS_CHARACTER, 0,
                                             espeakCHARS_UTF8, nullptr, nullptr);
    g_buffer = nullptr;
    stopped = result != EE_OK;
    if (result != EE_OK && speech.samples.empty()) return std::nullopt;
    return speech;
}

}  // namespace

double Speech::seconds() const {
    return sampleRate > 0 ? static_cast<double>(samples.size()) / sampleRate : 0.0;
}

double Speech::rms() const {
    if (samples.empty()) return 0.0;
    double sum = 0.0;
    for (const std::int16_t s : samples) sum += static_cast<double>(s) * s;
    return std::sqrt(sum / static_cast<double>(samples.size()));
}

std::optional<Speech> synthesize(std::string_view text, std::string_view voice) {
    std::lock_guard lock(g_espeak);
    if (!initialise(AUDIO_OUTPUT_SYNCHRONOUS)) return std::nullopt;
    bool stopped = false;
    return synthesizeLocked(text, voice, stopped);
}

bool audioDeviceAvailable() {
    // Without a sound server's socket or a sound card there is nothing to
    // try (and ALSA would print its errors for each attempt).
    namespace fs = std::filesystem;
    std::error_code ec;
    const char* runtime = std::getenv("XDG_RUNTIME_DIR");
    const bool server = std::getenv("PULSE_SERVER") || (runtime && fs::exists(fs::path(runtime) / "pulse/native", ec));
    if (!server && !fs::exists("/dev/snd", ec)) return false;
    // Then open it as espeak-ng's playback will (through pcaudiolib).
    audio_object* device = create_audio_device_object(nullptr, "shouxin-kiosk", "read-out");
    if (!device) return false;
    const int error = audio_object_open(device, AUDIO_OBJECT_FORMAT_S16LE, 22050, 1);
    if (error == 0) audio_object_close(device);
    audio_object_destroy(device);
    return error == 0;
}

void notePlayed(Speaker& speaker, unsigned id) { speaker.finished(id); }

bool cancelRequested(Speaker& speaker) {
    std::lock_guard lock(speaker.m_mutex);
    return speaker.m_cancel;
}

Speaker::Speaker(Output output, std::function<void()> wake)
    : m_output(output), m_wake(std::move(wake)), m_thread([this] { loop(); }) {}

Speaker::~Speaker() {
    {
        std::lock_guard lock(m_mutex);
        m_quit = true;
        m_cancel = true;
        m_queue.clear();
    }
    m_cv.notify_all();
    m_thread.join();
}

void Speaker::say(std::string text, std::string voice) {
    {
        std::lock_guard lock(m_mutex);
        if (!m_status.available && m_status.ready) return;
        m_queue.clear();
        m_queue.push_back({std::move(text), std::move(voice)});
        m_cancel = true;  // whatever is being said now
        m_status.speaking = true;
    }
    m_cv.notify_all();
}

void Speaker::stop() {
    {
        std::lock_guard lock(m_mutex);
        m_queue.clear();
        m_cancel = true;
        m_stopRequested = true;
        m_status.speaking = false;
    }
    m_cv.notify_all();
}

Speaker::Status Speaker::status() const {
    std::lock_guard lock(m_mutex);
    return m_status;
}

void Speaker::waitUntilIdle() const {
    std::unique_lock lock(m_mutex);
    m_cv.wait(lock, [this] { return m_quit || (m_status.ready && !m_status.speaking && m_queue.empty()); });
}

std::vector<Speaker::Utterance> Speaker::said() const {
    std::lock_guard lock(m_mutex);
    return m_said;
}

void Speaker::finished(unsigned id) {
    // espeak-ng's event thread: never calls back into espeak-ng.
    {
        std::lock_guard lock(m_mutex);
        m_lastPlayedId = id;
        if (!m_playing || id != m_playingId) return;
        m_playing = false;
        if (m_queue.empty()) m_status.speaking = false;
    }
    m_cv.notify_all();
    if (m_wake) m_wake();
}

bool Speaker::setUp() {
    std::lock_guard lock(g_espeak);
    if (m_output == Output::memory) return initialise(AUDIO_OUTPUT_SYNCHRONOUS);
    if (!audioDeviceAvailable()) {
        std::cerr << "shouxin-kiosk: no audio device, reading aloud is off\n";
        return false;
    }
    if (!initialise(AUDIO_OUTPUT_PLAYBACK)) {
        std::cerr << "shouxin-kiosk: the speech synthesiser (espeak-ng) could not be set up, reading aloud is off\n";
        return false;
    }
    g_speaker = this;
    return true;
}

void Speaker::loop() {
    const bool available = setUp();
    {
        std::lock_guard lock(m_mutex);
        m_status.ready = true;
        m_status.available = available;
        if (!available) {
            m_queue.clear();
            m_status.speaking = false;
        }
    }
    m_cv.notify_all();
    if (m_wake) m_wake();
    for (;;) {
        std::optional<Say> next;
        bool cancel = false;
        {
            std::unique_lock lock(m_mutex);
            m_cv.wait(lock, [this] { return m_quit || !m_queue.empty() || m_stopRequested; });
            if (m_quit) break;
            cancel = m_stopRequested;
            m_stopRequested = false;
            if (!m_queue.empty()) {
                next = std::move(m_queue.front());
                m_queue.pop_front();
                m_cancel = false;
                cancel = true;  // a new text cuts the old one short
            }
            if (cancel) m_playing = false;
        }
        if (!available) continue;
        if (cancel && m_output == Output::device) {
            std::lock_guard lock(g_espeak);
            espeak_Cancel();
        }
        if (next) speak(*next);
    }
    if (!available) return;
    std::lock_guard lock(g_espeak);
    if (m_output == Output::device) {
        espeak_Cancel();
        espeak_Terminate();
        g_mode = -1;
    }
    if (g_speaker == this) g_speaker = nullptr;
}

void Speaker::speak(const Say& say) {
    if (m_output == Output::memory) {
        Utterance u{say.text, say.voice, {}, false};
        {
            std::lock_guard lock(g_espeak);
            g_speaker = this;  // the callback asks it whether to stop
            bool stopped = false;
            if (auto speech = synthesizeLocked(say.text, say.voice, stopped)) u.speech = std::move(*speech);
            u.stopped = stopped;
            g_speaker = nullptr;
        }
        {
            std::lock_guard lock(m_mutex);
            u.stopped |= m_cancel;
            m_said.push_back(std::move(u));
            if (m_queue.empty()) m_status.speaking = false;
        }
        m_cv.notify_all();
        if (m_wake) m_wake();
        return;
    }
    unsigned id = 0;
    espeak_ERROR result = EE_OK;
    {
        std::lock_guard lock(g_espeak);
        if (espeak_SetVoiceByName(say.voice.c_str()) != EE_OK) {
            std::cerr << "shouxin-kiosk: no speech voice \"" << say.voice << "\" (espeak-ng-data)\n";
            result = EE_NOT_FOUND;
        } else {
            // Queued to espeak-ng's own thread, which plays it and says
            // when it is done through the callback (MSG_TERMINATED), maybe
            // before espeak_Synth returns. Our lock is not held across it.
            result = espeak_Synth(say.text.c_str(), say.text.size() + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8,
                                  &id, nullptr);
        }
    }
    if (result == EE_OK) {
        std::lock_guard lock(m_mutex);
        if (!m_cancel && m_lastPlayedId != id) {
            m_playing = true;
            m_playingId = id;
        } else if (m_queue.empty()) {
            m_status.speaking = false;
        }
    }
    if (result != EE_OK) {
        {
            std::lock_guard lock(m_mutex);
            if (m_queue.empty()) m_status.speaking = false;
        }
        m_cv.notify_all();
        if (m_wake) m_wake();
    }
}

}  // namespace shouxin::kiosk
