import NIOHTTP1

/// Which browser origins may read responses: exact origins (compared case-insensitively,
/// e.g. `https://app.example`) or `*` for any.
struct CORSPolicy: Sendable {
    let allowsAnyOrigin: Bool
    let origins: Set<String>

    init(allowedOrigins: [String]) {
        allowsAnyOrigin = allowedOrigins.contains("*")
        origins = Set(allowedOrigins.map { $0.lowercased() })
    }

    /// The `Access-Control-Allow-Origin` value for a request, or nil when the request has no
    /// `Origin` or the origin is not allowed.
    func allowOrigin(for request: HTTPRequestHead) -> String? {
        guard let origin = request.headers.first(name: "origin") else { return nil }
        if allowsAnyOrigin { return "*" }
        return origins.contains(origin.lowercased()) ? origin : nil
    }

    /// Adds the CORS headers every response carries when the origin matches.
    func decorate(_ headers: inout HTTPHeaders, for request: HTTPRequestHead) {
        guard let allowed = allowOrigin(for: request) else { return }
        headers.replaceOrAdd(name: "access-control-allow-origin", value: allowed)
        if allowed != "*" { headers.add(name: "vary", value: "Origin") }
    }

    /// The answer to an `OPTIONS` preflight: 204, and the allow-* headers when the origin
    /// matches (the allow-origin header itself is added to every response by ``decorate``).
    func preflight(for request: HTTPRequestHead) -> HTTPResponseMessage {
        var headers: HTTPHeaders = [:]
        if allowOrigin(for: request) != nil {
            headers.add(name: "access-control-allow-methods", value: "POST, GET, OPTIONS")
            let requested = request.headers.first(name: "access-control-request-headers")
            headers.add(name: "access-control-allow-headers", value: requested ?? "Content-Type")
            headers.add(name: "access-control-max-age", value: "600")
        }
        return HTTPResponseMessage(status: .noContent, headers: headers)
    }
}
