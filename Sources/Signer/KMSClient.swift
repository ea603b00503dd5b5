import FoundationEssentials
import HTTPClient
import Logging

/// The two AWS KMS operations the signer uses, over AWS JSON 1.1 with SigV4, with bounded
/// retries and error mapping. Internal: `KMSSigner` is the public face.
struct KMSClient: Sendable {
    let configuration: KMSConfiguration
    let http: any HTTPClient
    let clock: any Clock<Duration>
    let logger: Logger

    struct GetPublicKeyRequest: Encodable { let KeyId: String }
    struct GetPublicKeyResponse: Decodable {
        let KeyId: String?
        let PublicKey: String
        let KeySpec: String?
        let CustomerMasterKeySpec: String?
        let KeyUsage: String?
    }
    struct SignRequest: Encodable {
        let KeyId: String
        let Message: String
        let MessageType: String
        let SigningAlgorithm: String
    }
    struct SignResponse: Decodable {
        let KeyId: String?
        let Signature: String
    }
    struct ErrorResponse: Decodable {
        let __type: String?
        let message: String?
        let Message: String?
    }

    func getPublicKey() async throws(SignerError) -> GetPublicKeyResponse {
        try await call("GetPublicKey", GetPublicKeyRequest(KeyId: configuration.keyID), as: GetPublicKeyResponse.self,
                       retry: configuration.startupRetry)
    }

    func sign(digest: [UInt8]) async throws(SignerError) -> SignResponse {
        let request = SignRequest(KeyId: configuration.keyID, Message: Data(digest).base64EncodedString(),
                                  MessageType: "DIGEST", SigningAlgorithm: "ECDSA_SHA_256")
        return try await call("Sign", request, as: SignResponse.self, retry: configuration.signingRetry)
    }

    /// One operation with retries: throttling, 5xx and transient transport failures are
    /// retried with backoff; everything else fails at once.
    private func call<Request: Encodable, Response: Decodable>(
        _ operation: String, _ body: Request, as: Response.Type, retry: RetryPolicy
    ) async throws(SignerError) -> Response {
        let payload: [UInt8]
        do { payload = Array(try JSONEncoder().encode(body)) } catch {
            throw SignerError(.configuration, "cannot encode the KMS \(operation) request", underlying: error)
        }
        let request = HTTPRequest(
            method: .post, url: Self.rootURL(configuration.endpoint),
            headers: [("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "TrentService.\(operation)")],
            body: payload,
            awsSigV4: .init(region: configuration.region, service: "kms", credentials: configuration.credentials))
        var generator = SystemRandomNumberGenerator()
        var attempt = 1
        while true {
            let failure: SignerError
            do {
                let response = try await http.send(request)
                if (200..<300).contains(response.status) {
                    do { return try JSONDecoder().decode(Response.self, from: Data(response.body)) } catch {
                        throw SignerError(.kms(.malformedResponse),
                                          "AWS KMS \(operation) returned HTTP \(response.status) with a body that is not the documented JSON",
                                          underlying: error)
                    }
                }
                failure = mapErrorResponse(response, operation: operation)
            } catch let error as HTTPClientError {
                failure = SignerError(
                    .kms(.unreachable),
                    "AWS KMS endpoint \(configuration.endpoint) is unreachable (\(operation), attempt \(attempt) of \(retry.maxAttempts)): \(error.message)",
                    underlying: error, isTransient: error.isTransient)
            } catch let error as SignerError {
                throw error
            } catch {
                throw SignerError(.kms(.malformedResponse), "AWS KMS \(operation) failed", underlying: error)
            }
            guard failure.isTransient, attempt < retry.maxAttempts, !Task.isCancelled else { throw failure }
            let wait = retry.backoff(afterAttempt: attempt, using: &generator)
            logger.debug("retrying AWS KMS request", metadata: [
                "operation": "\(operation)", "attempt": "\(attempt)", "backoff": "\(wait)", "error": "\(failure.message)",
            ])
            do { try await clock.sleep(for: wait) } catch { throw failure }
            attempt += 1
        }
    }

    /// Maps a non-2xx response to a typed error; branches on `__type` as AWS documents.
    func mapErrorResponse(_ response: HTTPResponse, operation: String) -> SignerError {
        let decoded = try? JSONDecoder().decode(ErrorResponse.self, from: Data(response.body))
        // `__type` may carry a namespace (`com.amazonaws.kms#NotFoundException`) or a suffix.
        var type = decoded?.__type ?? response.header("x-amzn-ErrorType") ?? ""
        if let hash = type.lastIndex(of: "#") { type = String(type[type.index(after: hash)...]) }
        if let colon = type.firstIndex(of: ":") { type = String(type[..<colon]) }
        let awsMessage = decoded?.message ?? decoded?.Message ?? ""
        let what = type.isEmpty ? "HTTP \(response.status)" : "\(type), HTTP \(response.status)"
        let detail = awsMessage.isEmpty ? what : "\(what): \(awsMessage)"
        let key = configuration.keyID
        func error(_ problem: SignerError.KMSProblem, _ message: String, transient: Bool = false) -> SignerError {
            SignerError(.kms(problem), message + " [\(detail)]", isTransient: transient)
        }
        switch type {
        case "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException":
            return error(.throttled, "AWS KMS throttled the \(operation) request", transient: true)
        case "AccessDeniedException":
            return error(.accessDenied,
                         "AWS KMS denied access to key \(key): the credentials (\(configuration.credentialSource)) need kms:GetPublicKey and kms:Sign on it")
        case "NotFoundException":
            return error(.keyNotFound, "AWS KMS key \(key) was not found in region \(configuration.region): check --signer.aws-kms-key-id and the region")
        case "DisabledException":
            return error(.keyDisabled, "AWS KMS key \(key) is disabled: enable it before starting the sequencer")
        case "KMSInvalidStateException":
            return error(.invalidKeyState,
                         "AWS KMS key \(key) is in a state that cannot be used (pending deletion, pending import or unavailable)")
        case "InvalidKeyUsageException":
            return error(.wrongKeyUsage, "AWS KMS key \(key) cannot be used to sign: its key usage must be SIGN_VERIFY")
        case "UnrecognizedClientException", "InvalidSignatureException", "IncompleteSignatureException",
             "MissingAuthenticationTokenException", "InvalidClientTokenId", "SignatureDoesNotMatch",
             "ExpiredTokenException", "InvalidAccessKeyId":
            return error(.invalidCredentials,
                         "AWS KMS rejected the credentials from \(configuration.credentialSource): check the access key id, secret and session token (and the system clock)")
        case "KMSInternalException", "DependencyTimeoutException", "KeyUnavailableException", "ServiceUnavailableException",
             "InternalFailure", "ServiceUnavailable":
            return error(.serviceError, "AWS KMS failed the \(operation) request on its side", transient: true)
        default:
            if response.status == 429 {
                return error(.throttled, "AWS KMS throttled the \(operation) request", transient: true)
            }
            if response.status >= 500 {
                return error(.serviceError, "AWS KMS failed the \(operation) request on its side", transient: true)
            }
            if response.status == 401 || response.status == 403 {
                return error(.invalidCredentials,
                             "AWS KMS rejected the credentials from \(configuration.credentialSource) (HTTP \(response.status))")
            }
            return error(.rejected(type), "AWS KMS rejected the \(operation) request for key \(key)")
        }
    }

    /// `endpoint` with exactly one `/` path (KMS is always POSTed to the root).
    static func rootURL(_ endpoint: String) -> String {
        var url = endpoint
        while url.hasSuffix("/") { url.removeLast() }
        return url + "/"
    }
}
