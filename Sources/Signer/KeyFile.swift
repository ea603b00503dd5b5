#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads and checks a `--signer.key-file`: 64 hex digits, an optional `0x` prefix, at most
/// one trailing newline, and permissions that keep group and others out.
///
/// Every violation is its own `SignerError.KeyFileProblem`, and its message names the file and
/// the problem but never the key or any character of it.
enum KeyFile {
    /// Files larger than this are not read (a key file is at most 68 bytes).
    static let maxSize = 4096

    /// Opens `path`, checks its permissions, reads it and parses the key bytes.
    ///
    /// - Parameter allowInsecurePermissions: accept a file that group or others may access
    ///   (the node logs a warning instead).
    /// - Returns: the 32 key bytes. The caller turns them into a `PrivateKey` and wipes them.
    static func readKeyBytes(path: String, allowInsecurePermissions: Bool) throws(SignerError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let e = errno
            if e == ENOENT {
                throw SignerError(.keyFile(.missing), "signer key file \(path) does not exist")
            }
            throw SignerError(.keyFile(.unreadable), "signer key file \(path) cannot be opened: \(errnoString(e))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw SignerError(.keyFile(.unreadable), "signer key file \(path) cannot be inspected: \(errnoString(errno))")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw SignerError(.keyFile(.unreadable), "signer key file \(path) is not a regular file")
        }
        let mode = UInt32(info.st_mode) & 0o777
        if mode & 0o077 != 0 && !allowInsecurePermissions {
            throw SignerError(
                .keyFile(.insecurePermissions(mode: mode)),
                "signer key file \(path) is accessible by group or others (mode \(octal(mode))); " +
                "run `chmod 600 \(path)` to fix it, or allow insecure key-file permissions explicitly")
        }
        var contents = [UInt8](repeating: 0, count: maxSize + 1)
        defer { wipe(&contents) }
        var total = 0
        while total < contents.count {
            let n = contents.withUnsafeMutableBytes { read(fd, $0.baseAddress! + total, $0.count - total) }
            if n < 0 {
                if errno == EINTR { continue }
                throw SignerError(.keyFile(.unreadable), "signer key file \(path) cannot be read: \(errnoString(errno))")
            }
            if n == 0 { break }
            total += n
        }
        guard total <= maxSize else {
            throw SignerError(.keyFile(.wrongLength(total)),
                              "signer key file \(path) is larger than \(maxSize) bytes; it must hold only 64 hex digits")
        }
        var exact = Array(contents[0..<total])
        defer { wipe(&exact) }
        return try parse(exact, path: path)
    }

    /// Parses key-file contents (already read) into the 32 key bytes.
    static func parse(_ contents: [UInt8], path: String) throws(SignerError) -> [UInt8] {
        let newline = UInt8(ascii: "\n")
        var end = contents.count
        if end > 0 && contents[end - 1] == newline { end -= 1 }  // one trailing newline is fine
        guard end > 0 else {
            throw SignerError(.keyFile(.empty), "signer key file \(path) is empty; it must hold 64 hex digits")
        }
        if contents[0..<end].contains(newline) {
            throw SignerError(.keyFile(.multipleLines),
                              "signer key file \(path) has more than one line; it must hold 64 hex digits on a single line")
        }
        for i in 0..<end {
            switch contents[i] {
            case UInt8(ascii: "\r"):
                throw SignerError(.keyFile(.carriageReturn(position: i + 1)),
                                  "signer key file \(path) contains a carriage return at position \(i + 1) (Windows line ending?); save it with a Unix line ending")
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                throw SignerError(.keyFile(.whitespace(position: i + 1)),
                                  "signer key file \(path) contains whitespace at position \(i + 1); it must hold only 64 hex digits")
            default: break
            }
        }
        var start = 0
        if end >= 2 && contents[0] == UInt8(ascii: "0") && (contents[1] == UInt8(ascii: "x") || contents[1] == UInt8(ascii: "X")) {
            start = 2
        }
        var key = [UInt8](repeating: 0, count: 32)
        for i in start..<end where nibble(contents[i]) == nil {
            throw SignerError(.keyFile(.nonHexCharacter(position: i + 1)),
                              "signer key file \(path) has a non-hex character at position \(i + 1); it must hold 64 hex digits, optionally prefixed with 0x")
        }
        let digits = end - start
        guard digits == 64 else {
            wipe(&key)
            throw SignerError(.keyFile(.wrongLength(digits)),
                              "signer key file \(path) holds \(digits) hex digits; a secp256k1 key needs exactly 64")
        }
        for j in 0..<32 {
            key[j] = nibble(contents[start + 2 * j])! << 4 | nibble(contents[start + 2 * j + 1])!
        }
        return key
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    /// Overwrites a buffer that held key material (best effort: copies made by the runtime
    /// cannot be reached).
    static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            _ = memset(base, 0, raw.count)
        }
    }

    static func octal(_ mode: UInt32) -> String {
        let s = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }
}

/// `strerror` for an errno value.
func errnoString(_ code: Int32) -> String {
    String(cString: strerror(code))
}
