import Primitives

/// Every failure of the Signer module: a code to branch on, a message for the operator, the
/// underlying error when there is one, and whether retrying may help.
///
/// Messages name files, flags, key ids and endpoints; they never contain key material,
/// secrets or session tokens.
public struct SignerError: Error, Sendable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        /// The `--signer.key-file` is missing, unreadable, malformed or too widely readable.
        case keyFile(KeyFileProblem)
        /// An AWS KMS request failed or returned something unusable.
        case kms(KMSProblem)
        /// The signer flags or resolved configuration are inconsistent or incomplete.
        case configuration
        /// The backend's key does not belong to `--signer.address`.
        case addressMismatch(expected: Address, actual: Address)
        /// A produced signature did not recover to the signer's address, or was not low-s.
        case signatureVerification
        /// A different digest was already signed at this height and no rollback allows it.
        case doubleSign(height: UInt64)
        /// The double-sign journal could not be read, written or synced.
        case journalIO
        /// The double-sign journal is damaged somewhere other than its last record.
        case journalCorrupt
    }

    /// What is wrong with a key file.
    public enum KeyFileProblem: Sendable, Equatable {
        case missing
        case unreadable
        case empty
        /// Not 64 hex digits (after an optional `0x`); carries the number of digits found.
        case wrongLength(Int)
        /// A character that is not a hex digit, at this 1-based position in the file.
        case nonHexCharacter(position: Int)
        /// A carriage return (Windows line ending) at this 1-based position.
        case carriageReturn(position: Int)
        /// A space or tab at this 1-based position.
        case whitespace(position: Int)
        /// More than one line, or more than one trailing newline.
        case multipleLines
        /// 64 hex digits, but zero or not below the curve order.
        case invalidKey
        /// Readable by group or others (carries the permission bits).
        case insecurePermissions(mode: UInt32)
    }

    /// What went wrong talking to AWS KMS.
    public enum KMSProblem: Sendable, Equatable {
        case accessDenied
        case keyNotFound
        case keyDisabled
        case invalidKeyState
        case wrongKeySpec
        case wrongKeyUsage
        /// UnrecognizedClientException, InvalidSignatureException, expired tokens and the like.
        case invalidCredentials
        /// No HTTP response: connection refused, DNS failure, timeouts.
        case unreachable
        case throttled
        /// HTTP 5xx or KMSInternalException / DependencyTimeoutException / KeyUnavailableException.
        case serviceError
        /// Any other error response; carries its `__type`.
        case rejected(String)
        /// A 2xx response that is not the JSON KMS documents.
        case malformedResponse
        /// The public key is not a secp256k1 SubjectPublicKeyInfo.
        case malformedPublicKey
        /// The signature is not DER SEQUENCE{INTEGER r, INTEGER s} with r, s in [1, n-1].
        case malformedSignature
    }

    public var code: Code
    public var message: String
    public var underlying: (any Error)?
    public var isTransient: Bool

    public init(_ code: Code, _ message: String, underlying: (any Error)? = nil, isTransient: Bool = false) {
        self.code = code; self.message = message; self.underlying = underlying; self.isTransient = isTransient
    }

    public var description: String {
        guard let underlying else { return message }
        return "\(message) (\(underlying))"
    }
}
