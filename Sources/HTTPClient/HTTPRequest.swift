/// An HTTP request as `HTTPClient` sends it: method, absolute URL, headers and body.
public struct HTTPRequest: Sendable {
    /// The request method; `POST` sends `body`, `GET` sends none.
    public enum Method: String, Sendable { case get = "GET", post = "POST" }

    public var method: Method
    /// Absolute `http://` or `https://` URL.
    public var url: String
    /// Header fields in order. Do not add an empty `Expect:` header (it breaks curl's SigV4 signing).
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// When set, the request is signed with AWS Signature Version 4.
    public var awsSigV4: AWSSigV4?

    public init(method: Method = .post, url: String, headers: [(name: String, value: String)] = [],
                body: [UInt8] = [], awsSigV4: AWSSigV4? = nil) {
        self.method = method; self.url = url; self.headers = headers; self.body = body; self.awsSigV4 = awsSigV4
    }

    /// What SigV4 signing needs: the credential scope and the credentials.
    public struct AWSSigV4: Sendable {
        public var region: String
        /// The service name in the credential scope, for example `kms`.
        public var service: String
        public var credentials: AWSCredentials

        public init(region: String, service: String, credentials: AWSCredentials) {
            self.region = region; self.service = service; self.credentials = credentials
        }
    }
}
