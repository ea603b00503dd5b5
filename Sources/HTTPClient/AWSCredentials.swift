/// An AWS access key pair and optional session token.
///
/// Never printed: `description` shows only the access key id's last four characters.
public struct AWSCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var accessKeyID: String
    public var secretAccessKey: String
    /// Temporary credentials (STS, SSO, instance roles) carry a session token.
    public var sessionToken: String?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID; self.secretAccessKey = secretAccessKey; self.sessionToken = sessionToken
    }

    public var description: String {
        "AWSCredentials(accessKeyID: …\(accessKeyID.suffix(4)), secret: <redacted>\(sessionToken == nil ? "" : ", session token: <redacted>"))"
    }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
