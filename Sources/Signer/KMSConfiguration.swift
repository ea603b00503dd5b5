import HTTPClient
/// Everything the AWS KMS signer needs, resolved: key, region, endpoint, credentials, and the
/// time limits that keep one signing call well inside a block time.
///
/// Build it with `KMSConfiguration.fromEnvironment(_:keyID:)` (which reads the standard AWS
/// variables and the shared credentials file) or directly in tests.
public struct KMSConfiguration: Sendable {
    /// Key id, key ARN, alias name (`alias/...`) or alias ARN, passed to KMS as given.
    public var keyID: String
    public var region: String
    /// Base URL, e.g. `https://kms.us-east-1.amazonaws.com`; requests go to `/` on it.
    public var endpoint: String
    public var credentials: AWSCredentials
    /// Where the credentials came from, for the startup log and error messages (no secrets).
    public var credentialSource: String
    /// Per-attempt TCP/TLS connect limit.
    public var connectTimeout: Duration
    /// Per-attempt total limit (connection included).
    public var requestTimeout: Duration
    /// Retries of `Sign` (throttling, 5xx, transient transport errors); tight, a block is waiting.
    public var signingRetry: RetryPolicy
    /// Retries of `GetPublicKey` at startup; more patient.
    public var startupRetry: RetryPolicy

    public init(keyID: String, region: String, endpoint: String, credentials: AWSCredentials,
                credentialSource: String = "explicit configuration",
                connectTimeout: Duration = .milliseconds(300), requestTimeout: Duration = .milliseconds(700),
                signingRetry: RetryPolicy = RetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(25), maxBackoff: .milliseconds(200)),
                startupRetry: RetryPolicy = RetryPolicy(maxAttempts: 5, initialBackoff: .milliseconds(200), maxBackoff: .seconds(2))) {
        self.keyID = keyID; self.region = region; self.endpoint = endpoint; self.credentials = credentials
        self.credentialSource = credentialSource
        self.connectTimeout = connectTimeout; self.requestTimeout = requestTimeout
        self.signingRetry = signingRetry; self.startupRetry = startupRetry
    }
}
