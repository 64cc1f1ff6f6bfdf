#include "tests/support/web_client.hpp"

#include <curl/curl.h>

#include <algorithm>

#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

namespace shouxin::test {
namespace {

std::size_t onBody(char* data, std::size_t size, std::size_t count, void* user) {
    static_cast<std::string*>(user)->append(data, size * count);
    return size * count;
}

std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* user) {
    const std::string line(data, size * count);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
        std::string name = line.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        std::string value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
        (*static_cast<std::map<std::string, std::string>*>(user))[name] = value;
    }
    return size * count;
}

// Chromium as root, headless, with nothing that reaches out to the network.
std::vector<std::string> chromium(const std::filesystem::path& profile) {
    return {"/usr/bin/timeout", "60", "/usr/bin/chromium", "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + profile.string()};
}

}  // namespace

WebAnswer webRequest(const std::string& url, const std::string& method, const std::vector<std::string>& headers,
                     const std::string& body) {
    WebAnswer answer;
    CURL* curl = curl_easy_init();
    if (!curl) return answer;
    curl_slist* list = nullptr;
    for (const std::string& h : headers)
        list = curl_slist_append(list, h.c_str());
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
    if (method == "HEAD") curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
    if (!body.empty()) curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, onBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer.body);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, onHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &answer.headers);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(curl, CURLOPT_PATH_AS_IS, 1L);  // "/../" reaches the server as sent
    if (curl_easy_perform(curl) == CURLE_OK) curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &answer.status);
    curl_slist_free_all(list);
    curl_easy_cleanup(curl);
    return answer;
}

bool haveChromium() { return std::filesystem::exists("/usr/bin/chromium"); }

std::string chromiumDom(const std::string& url) {
    TempDir profile;
    auto argv = chromium(profile.path());
    argv.push_back("--dump-dom");
    argv.push_back(url);
    return runProgram(argv).out;
}

bool chromiumScreenshot(const std::string& url, const std::filesystem::path& png, int width, int height) {
    TempDir profile;
    auto argv = chromium(profile.path());
    argv.push_back("--window-size=" + std::to_string(width) + "," + std::to_string(height));
    argv.push_back("--screenshot=" + png.string());
    argv.push_back(url);
    std::filesystem::remove(png);
    return runProgram(argv).exitCode == 0 && std::filesystem::exists(png);
}

}  // namespace shouxin::test
