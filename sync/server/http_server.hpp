#pragma once
// A small HTTP/1.1 server for the sync protocol, on libmicrohttpd (no MHD
// types here). What it adds to a plain router is admission before the body:
// each route may look at the request line, headers and peer address and
// answer at once (401, 413, 415, ...) before a single body byte is read or
// inflated; bodies are bounded on the wire and after gzip.
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace shouxin::server {

struct HttpRequest {
    std::string method;
    std::string path;                           // without the query string
    std::map<std::string, std::string> params;  // query parameters, decoded
    std::vector<std::pair<std::string, std::string>> headers;
    std::string peer;  // the client's IP address as text
    std::string body;  // inflated; empty in an admission hook

    /// The first header of that name (any case), or "" when there is none.
    std::string header(std::string_view name) const;
    bool hasHeader(std::string_view name) const;
    bool hasParam(const std::string& name) const { return params.count(name) != 0; }
    /// The parameter's value, or "" when there is none.
    std::string param(const std::string& name) const;
};

struct HttpResponse {
    int status = 200;
    std::string body;
    std::string contentType;
    /// When set (>= 0), the answer's body is this open file's content
    /// instead of `body`, sent from the file, never read whole into memory;
    /// the server closes it.
    int fileDescriptor = -1;
    std::vector<std::pair<std::string, std::string>> headers;

    void setContent(std::string content, std::string type) {
        body = std::move(content);
        contentType = std::move(type);
    }
    void setHeader(std::string name, std::string value) {
        headers.emplace_back(std::move(name), std::move(value));
    }
};

using HttpHandler = std::function<void(const HttpRequest&, HttpResponse&)>;
/// Sees the request without its body; an answer ends the request there.
using HttpAdmission = std::function<std::optional<HttpResponse>(const HttpRequest&)>;

struct HttpRoute {
    /// "GET" (which answers HEAD too), "POST", or "*" for any method (the
    /// admission hook then refuses the ones the route does not take).
    std::string method;
    /// An exact path, or with `prefix` every path that starts with it; an
    /// exact route wins over a prefix, a longer prefix over a shorter.
    std::string path;
    HttpHandler handler;
    HttpAdmission admit;  // optional
    /// Bytes of body on the wire (compressed), refused with 413 as soon as
    /// Content-Length or the bytes received pass it. 0: no body allowed.
    std::size_t maxBodyBytes = 0;
    /// Bytes of body after gzip, refused with 413 once inflating passes it.
    std::size_t maxExpandedBytes = 0;
    /// POST routes take JSON: Content-Type application/json, else 415.
    bool jsonBody = false;
    bool prefix = false;
};

struct HttpOptions {
    std::string host = "127.0.0.1";
    int port = 0;         // 0: the OS picks one
    std::string certPem;  // TLS when both are given
    std::string keyPem;
    unsigned threads = 4;                  // event loops, each with epoll; idle connections hold none
    unsigned connectionLimit = 1000;       // all clients together
    unsigned perIpConnectionLimit = 64;    // one address
    unsigned idleTimeoutSeconds = 10;      // no byte in either direction for this long: closed
    unsigned requestDeadlineSeconds = 30;  // a whole request (line, headers, body) must arrive within this
    std::size_t connectionMemoryBytes = 64 * 1024;  // request line, headers and read buffer
    unsigned listenBacklog = 1024;
};

class HttpServer {
public:
    HttpServer();
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    void route(HttpRoute route);
    /// Builds the server's own refusals (413, 415, 404, 500, ...) with a
    /// stable reason; the default is a text/plain body of the reason.
    void setRefusal(std::function<HttpResponse(int status, std::string reason, std::string detail)> refusal);
    /// Called on every answer just before it is sent (common headers).
    void setDecorator(std::function<void(HttpResponse&)> decorator);

    /// Starts serving on its own threads; the port (the OS's pick for 0), or
    /// -1 with `error` set.
    int start(const HttpOptions& options, std::string* error = nullptr);
    /// Closes the listening socket and every connection; waits for handlers.
    void stop();

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

}  // namespace shouxin::server
