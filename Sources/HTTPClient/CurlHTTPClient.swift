internal import CCurl
import Dispatch
import Synchronization

/// `HTTPClient` over libcurl's easy interface.
///
/// One easy handle per client, reused for every request so that the TCP/TLS connection, DNS
/// cache and TLS session stay warm (`curl_easy_reset` between requests keeps them). Requests run
/// one at a time on the client's own serial dispatch queue, never on Swift's cooperative pool:
/// `curl_easy_perform` blocks. Callers are bridged with a continuation; cancelling the calling
/// task aborts the transfer from curl's progress callback.
///
/// SigV4: when the request carries `awsSigV4`, curl signs it (`CURLOPT_AWS_SIGV4`
/// `aws:amz:REGION:SERVICE`, key id and secret as user name and password). curl 7.88 signs the
/// headers given in the request plus `host` and `x-amz-date`, and hashes the body given as
/// `CURLOPT_POSTFIELDS`, which is how the body is always passed here.
public final class CurlHTTPClient: HTTPClient, @unchecked Sendable {
    // Safety: `handle` and `errorBuffer` are used only from blocks running on `queue`, a serial
    // queue, so at most one thread touches them at a time; `deinit` runs after every block
    // (each captures `self` strongly) has finished.

    /// Timeouts and limits of one client.
    public struct Configuration: Sendable {
        /// Time allowed to establish the TCP (and TLS) connection.
        public var connectTimeout: Duration
        /// Time allowed for the whole request, connection included.
        public var requestTimeout: Duration
        /// Larger response bodies fail the request with `responseTooLarge`.
        public var maxResponseBytes: Int
        public var userAgent: String

        public init(connectTimeout: Duration = .seconds(5), requestTimeout: Duration = .seconds(30),
                    maxResponseBytes: Int = 16 << 20, userAgent: String = "rollup-node") {
            self.connectTimeout = connectTimeout; self.requestTimeout = requestTimeout
            self.maxResponseBytes = maxResponseBytes; self.userAgent = userAgent
        }
    }

    public let configuration: Configuration
    private let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private let queue: DispatchQueue

    /// Creates the easy handle. Throws only if libcurl cannot be initialised.
    public init(configuration: Configuration = Configuration(), label: String = "http") throws(HTTPClientError) {
        guard CurlGlobal.initialized else {
            throw HTTPClientError(code: .other, message: "libcurl global initialisation failed", isTransient: false)
        }
        guard let handle = curl_easy_init() else {
            throw HTTPClientError(code: .other, message: "curl_easy_init failed", isTransient: false)
        }
        self.configuration = configuration
        self.handle = handle
        self.errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        self.errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        self.queue = DispatchQueue(label: "rollup-node.curl.\(label)")
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    public func send(_ request: HTTPRequest) async throws(HTTPClientError) -> HTTPResponse {
        let transfer = Transfer(limit: configuration.maxResponseBytes)
        let result: Result<HTTPResponse, HTTPClientError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(returning: .failure(Self.cancelledError(request)))
                    return
                }
                queue.async {
                    continuation.resume(returning: self.perform(request, transfer: transfer))
                }
            }
        } onCancel: {
            transfer.cancelled.store(true, ordering: .relaxed)
        }
        return try result.get()
    }

    // MARK: - On the client's queue

    /// Runs one transfer on the easy handle. Called only on `queue`.
    private func perform(_ request: HTTPRequest, transfer: Transfer) -> Result<HTTPResponse, HTTPClientError> {
        if transfer.cancelled.load(ordering: .relaxed) { return .failure(Self.cancelledError(request)) }
        // Only HTTP(S), checked here rather than with CURLOPT_PROTOCOLS_STR (curl 7.85+).
        let scheme = request.url.prefix(8).lowercased()
        guard scheme.hasPrefix("http://") || scheme.hasPrefix("https://") else {
            return .failure(HTTPClientError(code: .invalidRequest,
                                            message: "invalid request to \(Self.redactedTarget(request.url)): only http:// and https:// URLs are supported",
                                            isTransient: false))
        }
        curl_easy_reset(handle)  // keeps live connections, DNS and TLS session caches
        errorBuffer[0] = 0

        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        defer { curl_slist_free_all(headerList) }
        for (name, value) in request.headers {
            headerList = curl_slist_append(headerList, "\(name): \(value)")
        }
        if let token = request.awsSigV4?.credentials.sessionToken {
            headerList = curl_slist_append(headerList, "x-amz-security-token: \(token)")
        }

        let context = Unmanaged.passUnretained(transfer).toOpaque()
        var status = CURLE_OK
        func set(_ code: CURLcode) { if status == CURLE_OK { status = code } }
        set(rn_curl_setopt_string(handle, CURLOPT_URL, request.url))
        set(rn_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer))
        set(rn_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
        set(rn_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(configuration.connectTimeout)))
        set(rn_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(configuration.requestTimeout)))
        set(rn_curl_setopt_long(handle, CURLOPT_TCP_NODELAY, 1))
        set(rn_curl_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1))
        set(rn_curl_setopt_string(handle, CURLOPT_USERAGENT, configuration.userAgent))
        set(rn_curl_setopt_write_function(handle, curlWriteCallback))
        set(rn_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context))
        set(rn_curl_setopt_header_function(handle, curlHeaderCallback))
        set(rn_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context))
        set(rn_curl_setopt_long(handle, CURLOPT_NOPROGRESS, 0))
        set(rn_curl_setopt_xferinfo_function(handle, curlProgressCallback))
        set(rn_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, context))
        if let headerList { set(rn_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList)) }
        if let sigV4 = request.awsSigV4 {
            set(rn_curl_setopt_string(handle, CURLOPT_AWS_SIGV4, "aws:amz:\(sigV4.region):\(sigV4.service)"))
            // USERNAME and PASSWORD rather than USERPWD: no ambiguity if a secret held a colon.
            set(rn_curl_setopt_string(handle, CURLOPT_USERNAME, sigV4.credentials.accessKeyID))
            set(rn_curl_setopt_string(handle, CURLOPT_PASSWORD, sigV4.credentials.secretAccessKey))
        }

        // A non-empty buffer even for an empty body, so POSTFIELDS is never NULL (NULL would make
        // curl read the body from a callback instead).
        let bodyCount = request.body.count
        let bodyBytes = bodyCount == 0 ? [0] : request.body
        return bodyBytes.withUnsafeBytes { body -> Result<HTTPResponse, HTTPClientError> in
            switch request.method {
            case .get:
                set(rn_curl_setopt_long(handle, CURLOPT_HTTPGET, 1))
            case .post:
                set(rn_curl_setopt_long(handle, CURLOPT_POST, 1))
                // POSTFIELDS (not a read callback) so that curl's SigV4 hashes the real body.
                // curl copies nothing: the bytes must stay valid until perform returns, which
                // they do inside this closure.
                set(rn_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: body.baseAddress!)))
                set(rn_curl_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bodyCount)))
            }
            guard status == CURLE_OK else {
                return .failure(error(for: status, request: request, transfer: transfer))
            }
            let code = curl_easy_perform(handle)
            guard code == CURLE_OK else { return .failure(error(for: code, request: request, transfer: transfer)) }
            var responseCode: Int = 0
            _ = rn_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &responseCode)
            return .success(HTTPResponse(status: responseCode, headers: transfer.headers, body: transfer.body))
        }
    }

    /// Turns a failed `CURLcode` into a typed error (one place for curl's error convention).
    private func error(for code: CURLcode, request: HTTPRequest, transfer: Transfer) -> HTTPClientError {
        let detail = errorBuffer[0] != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
        let underlying = "CURLcode \(code.rawValue): \(String(cString: curl_easy_strerror(code)))"
        let target = Self.redactedTarget(request.url)
        let (kind, transient): (HTTPClientError.Code, Bool)
        switch code {
        case CURLE_COULDNT_CONNECT: (kind, transient) = (.couldNotConnect, true)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: (kind, transient) = (.couldNotResolveHost, true)
        case CURLE_OPERATION_TIMEDOUT: (kind, transient) = (.timedOut, true)
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2,
             CURLE_HTTP2_STREAM, CURLE_SEND_FAIL_REWIND:
            (kind, transient) = (.connectionLost, true)
        case CURLE_SSL_CONNECT_ERROR: (kind, transient) = (.tls, true)
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE,
             CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            (kind, transient) = (.tls, false)
        case CURLE_WRITE_ERROR where transfer.overLimit: (kind, transient) = (.responseTooLarge, false)
        case CURLE_ABORTED_BY_CALLBACK where transfer.cancelled.load(ordering: .relaxed): (kind, transient) = (.cancelled, false)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_BAD_FUNCTION_ARGUMENT, CURLE_UNKNOWN_OPTION,
             CURLE_NOT_BUILT_IN:
            (kind, transient) = (.invalidRequest, false)
        default: (kind, transient) = (.other, false)
        }
        let message: String
        switch kind {
        case .couldNotConnect: message = "could not connect to \(target): \(detail)"
        case .couldNotResolveHost: message = "could not resolve the host of \(target): \(detail)"
        case .timedOut: message = "request to \(target) timed out (connect timeout \(configuration.connectTimeout), total \(configuration.requestTimeout)): \(detail)"
        case .connectionLost: message = "connection to \(target) failed mid-request: \(detail)"
        case .tls: message = "TLS with \(target) failed: \(detail)"
        case .responseTooLarge: message = "response from \(target) exceeded \(configuration.maxResponseBytes) bytes"
        case .cancelled: message = "request to \(target) was cancelled"
        case .invalidRequest: message = "invalid request to \(target): \(detail)"
        case .other: message = "request to \(target) failed: \(detail)"
        }
        return HTTPClientError(code: kind, message: message, underlying: underlying, isTransient: transient)
    }

    private static func cancelledError(_ request: HTTPRequest) -> HTTPClientError {
        HTTPClientError(code: .cancelled, message: "request to \(redactedTarget(request.url)) was cancelled", isTransient: false)
    }

    /// Scheme, host and port of `url`, without user info, path or query.
    static func redactedTarget(_ url: String) -> String {
        var rest = Substring(url)
        var scheme = ""
        if let colon = rest.firstIndex(of: ":"), rest[colon...].hasPrefix("://") {
            let after = rest.index(colon, offsetBy: 3)
            scheme = String(rest[..<after]); rest = rest[after...]
        }
        if let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        return scheme + rest
    }

    private static func milliseconds(_ d: Duration) -> Int {
        let (seconds, attoseconds) = d.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}

/// The state of one transfer, shared with curl's C callbacks through an unretained pointer.
final class Transfer: @unchecked Sendable {
    // Safety: `body`, `headers` and `overLimit` are written only by curl callbacks on the
    // client's queue and read there after `curl_easy_perform` returns; `cancelled` is atomic.
    let limit: Int
    var body: [UInt8] = []
    var headers: [(name: String, value: String)] = []
    var overLimit = false
    let cancelled = Atomic<Bool>(false)

    init(limit: Int) { self.limit = limit }
}

/// `curl_global_init` exactly once per process (a Swift global is initialised once, thread-safely).
enum CurlGlobal {
    static let initialized: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
}

private func curlWriteCallback(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                               _ context: UnsafeMutableRawPointer?) -> Int {
    guard let context else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    let n = size * count
    guard transfer.body.count + n <= transfer.limit else { transfer.overLimit = true; return 0 }
    if n > 0, let data {
        transfer.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: n))
    }
    return n
}

private func curlHeaderCallback(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                                _ context: UnsafeMutableRawPointer?) -> Int {
    guard let context else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    let n = size * count
    guard n > 0, let data else { return n }
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: n), as: UTF8.self)
    if line.hasPrefix("HTTP/") {
        transfer.headers = []  // a new response (after 100-continue or a redirect): start over
    } else if let colon = line.firstIndex(of: ":") {
        let name = trimmed(line[..<colon], " \t")
        let value = trimmed(line[line.index(after: colon)...], " \t\r\n")
        transfer.headers.append((name: String(name), value: String(value)))
    }
    return n
}

private func curlProgressCallback(_ context: UnsafeMutableRawPointer?, _: curl_off_t, _: curl_off_t,
                                  _: curl_off_t, _: curl_off_t) -> Int32 {
    guard let context else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.cancelled.load(ordering: .relaxed) ? 1 : 0
}

/// `text` without the leading and trailing characters found in `set` (no Foundation here).
private func trimmed(_ text: Substring, _ set: String) -> Substring {
    guard let first = text.firstIndex(where: { !set.contains($0) }) else { return "" }
    return text[first...text.lastIndex(where: { !set.contains($0) })!]
}
