/// Verifies AWS Signature Version 4 (`Authorization: AWS4-HMAC-SHA256 ...` header form) the
/// way an AWS service does: rebuilds the canonical request from what arrived, derives the
/// signing key from the secret, and compares signatures. Independent of curl's signer.
public struct SigV4Verifier: Sendable {
    public struct Credential: Sendable {
        public var secretAccessKey: String
        public var sessionToken: String?
        public init(secretAccessKey: String, sessionToken: String? = nil) {
            self.secretAccessKey = secretAccessKey; self.sessionToken = sessionToken
        }
    }

    /// Why a request was refused, as the AWS error `__type` and message.
    public struct Failure: Error, Sendable, Equatable {
        public var type: String
        public var message: String
    }

    public var region: String
    public var service: String
    /// By access key id.
    public var credentials: [String: Credential]
    /// Allowed clock skew between x-amz-date and now (AWS allows 15 minutes).
    public var maxSkewSeconds: Int64 = 15 * 60

    public init(region: String, service: String, credentials: [String: Credential]) {
        self.region = region; self.service = service; self.credentials = credentials
    }

    /// Checks the request; `now` is seconds since the epoch.
    public func verify(method: String, path: String, query: String, headers: [(String, String)], body: [UInt8],
                       now: Int64) -> Failure? {
        func header(_ name: String) -> [String] { headers.filter { $0.0.lowercased() == name }.map { $0.1 } }
        guard let authorization = header("authorization").first else {
            return Failure(type: "MissingAuthenticationTokenException", message: "Missing Authentication Token")
        }
        guard authorization.hasPrefix("AWS4-HMAC-SHA256 ") else {
            return Failure(type: "IncompleteSignatureException", message: "Unsupported authorization algorithm")
        }
        var fields: [String: String] = [:]
        for part in authorization.dropFirst("AWS4-HMAC-SHA256 ".count).split(separator: ",") {
            let p = part.drop { $0 == " " }
            guard let eq = p.firstIndex(of: "=") else { continue }
            fields[String(p[..<eq])] = String(p[p.index(after: eq)...])
        }
        guard let credentialField = fields["Credential"], let signedHeadersField = fields["SignedHeaders"],
              let signature = fields["Signature"]
        else {
            return Failure(type: "IncompleteSignatureException", message: "Authorization header requires Credential, SignedHeaders and Signature")
        }
        let scope = credentialField.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard scope.count == 5, scope[4] == "aws4_request" else {
            return Failure(type: "IncompleteSignatureException", message: "Credential is not AKID/DATE/REGION/SERVICE/aws4_request")
        }
        guard let credential = credentials[scope[0]] else {
            return Failure(type: "UnrecognizedClientException", message: "The security token included in the request is invalid.")
        }
        guard scope[2] == region, scope[3] == service else {
            return Failure(type: "InvalidSignatureException",
                           message: "Credential should be scoped to a valid region and service (\(region)/\(service)), not \(scope[2])/\(scope[3]).")
        }
        guard let amzDate = header("x-amz-date").first, amzDate.count == 16, amzDate.hasPrefix(scope[1]),
              let stamp = Self.epochSeconds(amzDate)
        else {
            return Failure(type: "IncompleteSignatureException", message: "x-amz-date is missing, malformed or does not match the credential date")
        }
        if abs(stamp - now) > maxSkewSeconds {
            return Failure(type: "InvalidSignatureException", message: "Signature expired: \(amzDate) is too far from the server time.")
        }
        let signedHeaders = signedHeadersField.split(separator: ";").map(String.init)
        guard signedHeaders == signedHeaders.sorted(), signedHeaders.contains("host"), signedHeaders.contains("x-amz-date") else {
            return Failure(type: "InvalidSignatureException", message: "SignedHeaders must be sorted and include host and x-amz-date")
        }
        for (name, _) in headers where name.lowercased().hasPrefix("x-amz-") && !signedHeaders.contains(name.lowercased()) {
            return Failure(type: "InvalidSignatureException", message: "Header \(name.lowercased()) is present but not signed")
        }
        if let token = credential.sessionToken {
            guard header("x-amz-security-token").first == token else {
                return Failure(type: "UnrecognizedClientException", message: "The security token included in the request is invalid.")
            }
        } else if !header("x-amz-security-token").isEmpty {
            return Failure(type: "UnrecognizedClientException", message: "The security token included in the request is invalid.")
        }

        var canonicalHeaders = ""
        for name in signedHeaders {
            let values = header(name)
            guard !values.isEmpty else {
                return Failure(type: "InvalidSignatureException", message: "Signed header \(name) is missing")
            }
            canonicalHeaders += name + ":" + values.map(Self.collapseSpaces).joined(separator: ",") + "\n"
        }
        let canonicalRequest = [
            method, path.isEmpty ? "/" : path, Self.canonicalQuery(query), canonicalHeaders, signedHeadersField,
            Self.hex(SHA256.hash(body)),
        ].joined(separator: "\n")
        let expected = Self.signature(secret: credential.secretAccessKey, date: scope[1], region: region, service: service,
                                      amzDate: amzDate, canonicalRequest: canonicalRequest)
        guard expected == signature else {
            return Failure(type: "InvalidSignatureException",
                           message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.")
        }
        return nil
    }

    /// The hex signature of a canonical request (exposed for the SigV4 documentation vector test).
    public static func signature(secret: String, date: String, region: String, service: String, amzDate: String,
                                 canonicalRequest: String) -> String {
        let scope = "\(date)/\(region)/\(service)/aws4_request"
        let stringToSign = "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n" + hex(SHA256.hash(Array(canonicalRequest.utf8)))
        var key = HMACSHA256.authenticate(Array(date.utf8), key: Array(("AWS4" + secret).utf8))
        key = HMACSHA256.authenticate(Array(region.utf8), key: key)
        key = HMACSHA256.authenticate(Array(service.utf8), key: key)
        key = HMACSHA256.authenticate(Array("aws4_request".utf8), key: key)
        return hex(HMACSHA256.authenticate(Array(stringToSign.utf8), key: key))
    }

    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Trims and collapses runs of spaces, as SigV4 canonical header values require.
    static func collapseSpaces(_ value: String) -> String {
        value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            .trimmingTabs()
    }

    static func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        return query.split(separator: "&").map { part -> String in part.contains("=") ? String(part) : part + "=" }
            .sorted().joined(separator: "&")
    }

    /// `YYYYMMDDTHHMMSSZ` to seconds since the epoch.
    static func epochSeconds(_ s: String) -> Int64? {
        let c = Array(s.utf8)
        guard c.count == 16, c[8] == UInt8(ascii: "T"), c[15] == UInt8(ascii: "Z") else { return nil }
        func num(_ r: Range<Int>) -> Int64? {
            var v: Int64 = 0
            for i in r { guard (48...57).contains(c[i]) else { return nil }; v = v * 10 + Int64(c[i] - 48) }
            return v
        }
        guard let y = num(0..<4), let mo = num(4..<6), let d = num(6..<8), let h = num(9..<11), let mi = num(11..<13),
              let se = num(13..<15), (1...12).contains(mo)
        else { return nil }
        // Days from civil (Howard Hinnant's algorithm).
        let yy = mo <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return days * 86_400 + h * 3_600 + mi * 60 + se
    }
}

extension String {
    fileprivate func trimmingTabs() -> String {
        var s = Substring(self)
        while s.first == "\t" || s.first == " " { s.removeFirst() }
        while s.last == "\t" || s.last == " " { s.removeLast() }
        return String(s)
    }
}

/// Exposes the date parser to tests.
public enum SigV4VerifierTestHook {
    public static func epoch(_ amzDate: String) -> Int64 { SigV4Verifier.epochSeconds(amzDate) ?? -1 }
}
