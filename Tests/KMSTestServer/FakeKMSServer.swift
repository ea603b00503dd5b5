import Foundation
import LoopbackHTTP
import Primitives
import Synchronization

/// A local AWS KMS peer for tests and benchmarks: AWS JSON 1.1 over HTTP on loopback,
/// `TrentService.GetPublicKey` and `TrentService.Sign` (ECC_SECG_P256K1, DIGEST,
/// ECDSA_SHA_256), every request's SigV4 signature verified (bad ones get
/// InvalidSignatureException, unknown key ids UnrecognizedClientException).
///
/// Knobs make it misbehave the ways real KMS can: high-s signatures (KMS does not normalise),
/// injected errors (throttling N times, 5xx, any `__type`), delays, dropped connections,
/// malformed DER, and keys that are disabled, pending deletion, of the wrong spec or usage,
/// or denied.
public final class FakeKMSServer: Sendable {
    public enum KeyState: Sendable { case enabled, disabled, pendingDeletion, accessDenied }

    public struct Key: Sendable {
        public var privateKey: PrivateKey
        public var keySpec: String
        public var keyUsage: String
        public var state: KeyState
        public init(privateKey: PrivateKey, keySpec: String = "ECC_SECG_P256K1", keyUsage: String = "SIGN_VERIFY",
                    state: KeyState = .enabled) {
            self.privateKey = privateKey; self.keySpec = keySpec; self.keyUsage = keyUsage; self.state = state
        }
    }

    /// How Sign encodes its result.
    public enum SignatureMode: Sendable, Equatable {
        /// r and s as libsecp256k1 produced them (low-s), minimal DER.
        case normal
        /// s replaced by n - s (KMS returns either half; this forces the high one).
        case highS
        /// These bytes instead of a signature (base64-encoded as usual).
        case raw([UInt8])
    }

    /// A canned failure for the next request(s).
    public struct InjectedError: Sendable {
        public var status: Int
        public var type: String
        public var message: String
        public init(status: Int = 400, type: String, message: String = "injected") {
            self.status = status; self.type = type; self.message = message
        }
        public static let throttling = InjectedError(status: 400, type: "ThrottlingException", message: "Rate exceeded")
        public static let internalError = InjectedError(status: 500, type: "KMSInternalException", message: "internal")
    }

    public let region: String
    public let accessKeyID: String
    public let secretAccessKey: String
    public let sessionToken: String?
    private let server: LoopbackHTTPServer
    private let state: StateBox

    private final class StateBox: Sendable {
        let mutex = Mutex(State())
        func withLock<R>(_ body: (inout State) -> R) -> R { mutex.withLock { body(&$0) } }
    }

    private struct State {
        var keys: [String: Key] = [:]
        var signatureMode: SignatureMode = .normal
        var injected: [InjectedError] = []
        var delays: [Duration] = []
        var drops = 0
        var requests = 0
        var signs = 0
        var rejectedSignatures = 0
    }

    /// Starts the server with one credential (and optional session token) and no keys.
    public init(region: String = "us-east-1", accessKeyID: String = "AKIDFAKEKMS0EXAMPLE",
                secretAccessKey: String = "fake/Secret+Key/For/Tests0123456789abcdEF", sessionToken: String? = nil) throws {
        self.region = region
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        let state = StateBox()
        self.state = state
        let verifier = SigV4Verifier(region: region, service: "kms",
                                     credentials: [accessKeyID: .init(secretAccessKey: secretAccessKey, sessionToken: sessionToken)])
        self.server = try LoopbackHTTPServer { request in
            Self.handle(request, verifier: verifier, state: state)
        }
    }

    public func stop() { server.stop() }

    /// `http://127.0.0.1:PORT`, for AWS_ENDPOINT_URL_KMS.
    public var endpoint: String { server.baseURL }
    public var acceptedConnections: Int { server.acceptedConnections }
    public var requestCount: Int { state.withLock { $0.requests } }
    public var signCount: Int { state.withLock { $0.signs } }
    /// Requests refused because their SigV4 signature did not verify.
    public var rejectedSignatureCount: Int { state.withLock { $0.rejectedSignatures } }

    /// Adds (or replaces) a key; `id` is the bare key id (ARNs ending in `key/ID` also find it).
    public func addKey(id: String, _ key: Key) { state.withLock { $0.keys[id] = key } }
    public func setKeyState(id: String, _ keyState: KeyState) { state.withLock { $0.keys[id]?.state = keyState } }
    public func setSignatureMode(_ mode: SignatureMode) { state.withLock { $0.signatureMode = mode } }
    /// The next `errors.count` requests fail with these errors, in order.
    public func inject(_ errors: [InjectedError]) { state.withLock { $0.injected += errors } }
    /// The next `delays.count` requests are answered after these delays.
    public func delay(_ delays: [Duration]) { state.withLock { $0.delays += delays } }
    /// The next `count` requests get their connection closed without an answer.
    public func dropConnections(_ count: Int) { state.withLock { $0.drops += count } }

    // MARK: - Request handling (on the server's connection threads)

    private struct GetPublicKeyRequest: Decodable { let KeyId: String? }
    private struct SignRequest: Decodable {
        let KeyId: String?
        let Message: String?
        let MessageType: String?
        let SigningAlgorithm: String?
    }

    private static func handle(_ request: LoopbackHTTPServer.Request, verifier: SigV4Verifier,
                               state: StateBox) -> LoopbackHTTPServer.Response {
        let (injected, delay, drop) = state.withLock { s -> (InjectedError?, Duration?, Bool) in
            s.requests += 1
            let e = s.injected.isEmpty ? nil : s.injected.removeFirst()
            let d = s.delays.isEmpty ? nil : s.delays.removeFirst()
            let drop = s.drops > 0
            if drop { s.drops -= 1 }
            return (e, d, drop)
        }
        if drop { return .init(status: 0, dropConnection: true) }
        var response = respond(request, verifier: verifier, state: state, injected: injected)
        response.delay = delay
        return response
    }

    private static func respond(_ request: LoopbackHTTPServer.Request, verifier: SigV4Verifier, state: StateBox,
                                injected: InjectedError?) -> LoopbackHTTPServer.Response {
        guard request.method == "POST", request.path == "/" else {
            return error(404, "UnknownOperationException", "KMS accepts POST / only")
        }
        let now = Int64(Date().timeIntervalSince1970)
        if let failure = verifier.verify(method: request.method, path: request.path, query: request.query,
                                         headers: request.headers, body: request.body, now: now) {
            if failure.type == "InvalidSignatureException" { state.withLock { $0.rejectedSignatures += 1 } }
            return error(400, failure.type, failure.message)
        }
        if let injected { return error(injected.status, injected.type, injected.message) }
        guard request.header("content-type") == "application/x-amz-json-1.1" else {
            return error(400, "SerializationException", "Content-Type must be application/x-amz-json-1.1")
        }
        switch request.header("x-amz-target") {
        case "TrentService.GetPublicKey":
            guard let body = try? JSONDecoder().decode(GetPublicKeyRequest.self, from: Data(request.body)),
                  let keyID = body.KeyId
            else { return error(400, "ValidationException", "KeyId is required") }
            let found = lookUp(keyID, state: state)
            guard case .success(let key) = found else { return found.failureResponse! }
            let der: [UInt8] = key.keySpec == "ECC_SECG_P256K1"
                ? secp256k1SPKIPrefix + key.privateKey.publicKey.uncompressed
                : p256ExampleSPKI
            return json(["KeyId": arn(keyID, region: verifier.region), "PublicKey": Data(der).base64EncodedString(),
                         "KeySpec": key.keySpec, "CustomerMasterKeySpec": key.keySpec, "KeyUsage": key.keyUsage,
                         "SigningAlgorithms": key.keyUsage == "SIGN_VERIFY" ? ["ECDSA_SHA_256"] : [],
                         "KeyOrigin": "AWS_KMS"])
        case "TrentService.Sign":
            guard let body = try? JSONDecoder().decode(SignRequest.self, from: Data(request.body)),
                  let keyID = body.KeyId, let message = body.Message
            else { return error(400, "ValidationException", "KeyId and Message are required") }
            let found = lookUp(keyID, state: state)
            guard case .success(let key) = found else { return found.failureResponse! }
            guard key.keyUsage == "SIGN_VERIFY" else {
                return error(400, "InvalidKeyUsageException", "key usage is \(key.keyUsage)")
            }
            guard body.SigningAlgorithm == "ECDSA_SHA_256" else {
                return error(400, "ValidationException", "SigningAlgorithm must be ECDSA_SHA_256 for ECC_SECG_P256K1")
            }
            guard body.MessageType == "DIGEST" else {
                return error(400, "ValidationException", "this fake signs only MessageType DIGEST")
            }
            guard let digest = Data(base64Encoded: message), digest.count == 32 else {
                return error(400, "ValidationException", "a DIGEST for ECDSA_SHA_256 must be 32 bytes")
            }
            guard let signature = try? key.privateKey.sign(digest: Hash32(Array(digest))) else {
                return error(500, "KMSInternalException", "signing failed")
            }
            let mode = state.withLock { s -> SignatureMode in s.signs += 1; return s.signatureMode }
            let der: [UInt8]
            switch mode {
            case .normal: der = derSignature(r: signature.r, s: signature.s)
            case .highS: der = derSignature(r: signature.r, s: signature.isLowS ? Secp256k1.curveOrder - signature.s : signature.s)
            case .raw(let bytes): der = bytes
            }
            return json(["KeyId": arn(keyID, region: verifier.region), "Signature": Data(der).base64EncodedString(),
                         "SigningAlgorithm": "ECDSA_SHA_256"])
        default:
            return error(400, "UnknownOperationException", "unsupported X-Amz-Target")
        }
    }

    private enum LookUp {
        case success(Key)
        case failure(LoopbackHTTPServer.Response)
        var failureResponse: LoopbackHTTPServer.Response? { if case .failure(let r) = self { r } else { nil } }
    }

    private static func lookUp(_ keyID: String, state: StateBox) -> LookUp {
        var id = keyID
        if let range = keyID.range(of: ":key/") { id = String(keyID[range.upperBound...]) }
        guard let key = state.withLock({ $0.keys[id] }) else {
            return .failure(error(400, "NotFoundException", "Key '\(keyID)' does not exist"))
        }
        switch key.state {
        case .enabled: return .success(key)
        case .disabled: return .failure(error(400, "DisabledException", "\(keyID) is disabled."))
        case .pendingDeletion: return .failure(error(400, "KMSInvalidStateException", "\(keyID) is pending deletion."))
        case .accessDenied:
            return .failure(error(400, "AccessDeniedException",
                                  "User: arn:aws:iam::111122223333:user/test is not authorized to perform: kms:Sign on this resource"))
        }
    }

    private static func arn(_ keyID: String, region: String) -> String {
        keyID.hasPrefix("arn:") ? keyID : "arn:aws:kms:\(region):111122223333:key/\(keyID)"
    }

    private static func json(_ object: [String: Any]) -> LoopbackHTTPServer.Response {
        let body = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return .init(status: 200, headers: [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", requestID())],
                     body: Array(body))
    }

    private static func error(_ status: Int, _ type: String, _ message: String) -> LoopbackHTTPServer.Response {
        let body = (try? JSONSerialization.data(withJSONObject: ["__type": type, "message": message], options: [.sortedKeys])) ?? Data()
        return .init(status: status, headers: [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-RequestId", requestID())],
                     body: Array(body))
    }

    private static func requestID() -> String { UUID().uuidString.lowercased() }

    // MARK: - DER (written independently of the Signer module's parser)

    static let secp256k1SPKIPrefix: [UInt8] = [
        0x30, 0x56, 0x30, 0x10, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
        0x06, 0x05, 0x2b, 0x81, 0x04, 0x00, 0x0a, 0x03, 0x42, 0x00,
    ]

    /// A P-256 (prime256v1) SubjectPublicKeyInfo: the generator point as the key. Returned for
    /// keys whose spec is not ECC_SECG_P256K1.
    static let p256ExampleSPKI: [UInt8] = [
        0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
        0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00, 0x04,
        0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47, 0xf8, 0xbc, 0xe6, 0xe5, 0x63, 0xa4, 0x40, 0xf2,
        0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb, 0x33, 0xa0, 0xf4, 0xa1, 0x39, 0x45, 0xd8, 0x98, 0xc2, 0x96,
        0x4f, 0xe3, 0x42, 0xe2, 0xfe, 0x1a, 0x7f, 0x9b, 0x8e, 0xe7, 0xeb, 0x4a, 0x7c, 0x0f, 0x9e, 0x16,
        0x2b, 0xce, 0x33, 0x57, 0x6b, 0x31, 0x5e, 0xce, 0xcb, 0xb6, 0x40, 0x68, 0x37, 0xbf, 0x51, 0xf5,
    ]

    /// Minimal DER `SEQUENCE { INTEGER r, INTEGER s }`.
    public static func derSignature(r: U256, s: U256) -> [UInt8] {
        func integer(_ v: U256) -> [UInt8] {
            var bytes = Array(v.bigEndianBytes.drop { $0 == 0 })
            if bytes.isEmpty { bytes = [0] }
            if bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
            return [0x02, UInt8(bytes.count)] + bytes
        }
        let content = integer(r) + integer(s)
        return [0x30, UInt8(content.count)] + content
    }
}
