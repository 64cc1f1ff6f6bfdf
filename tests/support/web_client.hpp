#pragma once
// Plain HTTP requests to the real district server's public side (libcurl),
// and Debian's headless Chromium loading its pages.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace shouxin::test {

struct WebAnswer {
    long status = 0;  // 0: no answer at all
    std::map<std::string, std::string> headers;  // names in lower case
    std::string body;
    std::string header(const std::string& lowerName) const {
        const auto it = headers.find(lowerName);
        return it == headers.end() ? std::string() : it->second;
    }
};

/// One request; `headers` as "Name: value".
WebAnswer webRequest(const std::string& url, const std::string& method = "GET",
                     const std::vector<std::string>& headers = {}, const std::string& body = "");

/// Whether /usr/bin/chromium is there (packaging/install-deps.sh installs it).
bool haveChromium();
/// The DOM Chromium built from `url`, as --dump-dom prints it.
std::string chromiumDom(const std::string& url);
/// A screenshot of `url` in a window `width` pixels wide; true when written.
bool chromiumScreenshot(const std::string& url, const std::filesystem::path& png, int width, int height);

}  // namespace shouxin::test
