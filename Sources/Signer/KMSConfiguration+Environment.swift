#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HTTPClient

extension KMSConfiguration {
    /// Resolves the KMS configuration the way the AWS tools do, from `environment` (the CLI
    /// passes the process environment; components never read it themselves).
    ///
    /// - Region: from `keyID` when it is an ARN, else `AWS_REGION`, else `AWS_DEFAULT_REGION`.
    /// - Endpoint: `AWS_ENDPOINT_URL_KMS`, else `AWS_ENDPOINT_URL`, else
    ///   `https://kms.REGION.amazonaws.com` (`.amazonaws.com.cn` in the `aws-cn` partition);
    ///   `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` ignores the two overrides.
    /// - Credentials: `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`), else
    ///   the shared credentials file (`AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`),
    ///   profile `AWS_PROFILE`, else `default`.
    ///
    /// Timeouts and retries take their defaults; adjust them on the result.
    public static func fromEnvironment(_ environment: [String: String], keyID: String) throws(SignerError) -> KMSConfiguration {
        func value(_ name: String) -> String? {
            guard let v = environment[name], !v.isEmpty else { return nil }
            return v
        }
        let key = String(keyID.trimmingCharacters(in: " \t\r\n"))
        guard !key.isEmpty else { throw configurationError("--signer.aws-kms-key-id is empty") }

        var partition = "aws"
        let region: String
        if key.hasPrefix("arn:") {
            let arn = try parseARN(key)
            partition = arn.partition
            region = arn.region
        } else if let r = value("AWS_REGION") ?? value("AWS_DEFAULT_REGION") {
            region = r
        } else {
            throw configurationError(
                "--signer.aws-kms-key-id \(key) is not an ARN, so the region must come from AWS_REGION or AWS_DEFAULT_REGION, and neither is set")
        }
        guard region.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw configurationError("AWS region \"\(region)\" is not a region name (like us-east-1)")
        }

        let ignoreOverrides = value("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")?.lowercased() == "true"
        let endpoint: String
        if !ignoreOverrides, let override = value("AWS_ENDPOINT_URL_KMS") ?? value("AWS_ENDPOINT_URL") {
            let name = value("AWS_ENDPOINT_URL_KMS") != nil ? "AWS_ENDPOINT_URL_KMS" : "AWS_ENDPOINT_URL"
            guard override.hasPrefix("https://") || override.hasPrefix("http://") else {
                throw configurationError("\(name) must be an http:// or https:// URL")
            }
            endpoint = override
        } else {
            endpoint = "https://kms.\(region).amazonaws.com" + (partition == "aws-cn" ? ".cn" : "")
        }

        let credentials: AWSCredentials
        let source: String
        switch (value("AWS_ACCESS_KEY_ID"), value("AWS_SECRET_ACCESS_KEY")) {
        case let (id?, secret?):
            credentials = AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: value("AWS_SESSION_TOKEN"))
            source = "environment (AWS_ACCESS_KEY_ID)"
        case (_?, nil):
            throw configurationError("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
        case (nil, _?):
            throw configurationError("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not")
        case (nil, nil):
            let profile = value("AWS_PROFILE") ?? "default"
            var path: String
            if let p = value("AWS_SHARED_CREDENTIALS_FILE") {
                path = p
            } else if let home = value("HOME") {
                path = home + "/.aws/credentials"
            } else {
                throw configurationError(
                    "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_SHARED_CREDENTIALS_FILE (HOME is not set either)")
            }
            if path.hasPrefix("~/"), let home = value("HOME") { path = home + path.dropFirst() }
            credentials = try sharedCredentials(path: path, profile: profile)
            source = "shared credentials file \(path), profile \(profile)"
        }

        return KMSConfiguration(keyID: key, region: region, endpoint: endpoint, credentials: credentials, credentialSource: source)
    }

    /// `arn:PARTITION:kms:REGION:ACCOUNT:key/ID` or `...:alias/NAME`.
    static func parseARN(_ arn: String) throws(SignerError) -> (partition: String, region: String) {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", parts[1].hasPrefix("aws"), parts[2] == "kms", !parts[3].isEmpty,
              !parts[4].isEmpty, parts[5].hasPrefix("key/") || parts[5].hasPrefix("alias/")
        else {
            throw configurationError(
                "--signer.aws-kms-key-id \(arn) is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID or ...:alias/NAME)")
        }
        return (String(parts[1]), String(parts[3]))
    }

    /// Reads one profile of an AWS shared credentials file (INI: `[profile]`, `key = value`,
    /// `#` and `;` comments).
    static func sharedCredentials(path: String, profile: String) throws(SignerError) -> AWSCredentials {
        guard let text = readTextFile(path) else {
            throw configurationError(
                "no AWS credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY are not set and the shared credentials file \(path) cannot be read")
        }
        var section: String? = nil
        var found = false
        var values: [String: String] = [:]
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = rawLine.trimmingCharacters(in: " \t\r")
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                section = String(line.dropFirst().dropLast().trimmingCharacters(in: " \t"))
                if section == profile { found = true }
                continue
            }
            guard section == profile, let eq = line.firstIndex(of: "=") else { continue }
            let name = line[..<eq].trimmingCharacters(in: " \t").lowercased()
            values[name] = String(line[line.index(after: eq)...].trimmingCharacters(in: " \t"))
        }
        guard found else {
            throw configurationError("the shared credentials file \(path) has no profile [\(profile)] (AWS_PROFILE selects the profile)")
        }
        guard let id = values["aws_access_key_id"], !id.isEmpty else {
            throw configurationError("profile [\(profile)] in \(path) has no aws_access_key_id")
        }
        guard let secret = values["aws_secret_access_key"], !secret.isEmpty else {
            throw configurationError("profile [\(profile)] in \(path) has no aws_secret_access_key")
        }
        let token = values["aws_session_token"].flatMap { $0.isEmpty ? nil : $0 }
        return AWSCredentials(accessKeyID: id, secretAccessKey: secret, sessionToken: token)
    }

    private static func readTextFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) }
            if n < 0 { if errno == EINTR { continue }; return nil }
            if n == 0 { break }
            out += buffer[0..<n]
            if out.count > 1 << 20 { return nil }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func configurationError(_ message: String) -> SignerError {
        SignerError(.configuration, message)
    }
}

extension StringProtocol {
    /// Drops leading and trailing characters found in `set` (no Foundation needed).
    func trimmingCharacters(in set: String) -> Substring {
        let s = Substring(self)
        guard let start = s.firstIndex(where: { !set.contains($0) }) else { return "" }
        let end = s.lastIndex(where: { !set.contains($0) })!
        return s[start...end]
    }
}
