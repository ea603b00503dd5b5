#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Logging
import Primitives

/// The double-sign guard's durable store: an append-only file of fixed-size, checksummed
/// records, fsync'd after every append.
///
/// Layout: the 8-byte magic `RNSGJ001`, then 45-byte records: kind (1: `S` signed, `W` withdrawn,
/// `R` rollback, `P` pruned), height (8, big-endian),
/// digest (32), CRC-32 of the previous 41 bytes (4, big-endian). A crash can only damage the
/// record being appended, whose signature therefore never left the signer: on load a partial
/// or mis-checksummed *last* record is dropped and the file truncated to the last good one.
/// Damage anywhere else is refused as corruption. Compaction writes a new file, fsyncs it and
/// renames it over the old one. The file is locked (`flock`) so that two nodes sharing a
/// datadir cannot both sign. All I/O runs on the journal's own serial queue.
public final class SignatureJournal: SignatureRecordStore, @unchecked Sendable {
    // Safety: `fd` is read and written only by blocks on `queue` (a serial queue); `deinit`
    // runs after every such block, each of which captures `self` strongly, has finished.
    public let path: String
    private let logger: Logger
    private let queue: DispatchQueue
    private var fd: Int32 = -1

    static let magic: [UInt8] = Array("RNSGJ001".utf8)
    static let recordSize = 45

    /// A journal at `path` (created on `load()` if missing; its directory must exist).
    public init(path: String, logger: Logger = Logger(label: "signer")) {
        self.path = path
        self.logger = logger
        self.queue = DispatchQueue(label: "rollup-node.signer.journal")
    }

    deinit { if fd >= 0 { close(fd) } }

    public func load() async throws(SignerError) -> [SignatureRecord] {
        try await run { () throws(SignerError) in try self.openAndRead() }
    }

    public func append(_ record: SignatureRecord) async throws(SignerError) {
        try await run { () throws(SignerError) in
            guard self.fd >= 0 else { throw SignerError(.journalIO, "signature journal \(self.path) was not loaded before an append") }
            try self.writeAll(self.fd, Self.encode(record), what: "append to")
            try self.sync(self.fd, what: "sync")
        }
    }

    public func replaceAll(with records: [SignatureRecord]) async throws(SignerError) {
        try await run { () throws(SignerError) in
            let temporary = self.path + ".compacting"
            let newFD = open(temporary, O_RDWR | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0o600)
            guard newFD >= 0 else { throw self.ioError("create \(temporary)", errno) }
            var ok = false
            defer { if !ok { close(newFD); unlink(temporary) } }
            guard flock(newFD, LOCK_EX | LOCK_NB) == 0 else { throw self.ioError("lock \(temporary)", errno) }
            var bytes = Self.magic
            for record in records { bytes += Self.encode(record) }
            try self.writeAll(newFD, bytes, what: "write compacted")
            try self.sync(newFD, what: "sync compacted")
            guard rename(temporary, self.path) == 0 else { throw self.ioError("rename \(temporary) over", errno) }
            // From here on the new file is the journal: switch before anything else can fail.
            ok = true
            if self.fd >= 0 { close(self.fd) }
            self.fd = newFD
            try self.syncDirectory()
        }
    }

    // MARK: - On the queue

    private func run<T: Sendable>(_ body: @escaping @Sendable () throws(SignerError) -> T) async throws(SignerError) -> T {
        let result: Result<T, SignerError> = await withCheckedContinuation { continuation in
            queue.async {
                do throws(SignerError) { continuation.resume(returning: .success(try body())) } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }

    private func openAndRead() throws(SignerError) -> [SignatureRecord] {
        if fd >= 0 { close(fd); fd = -1 }
        let existed = access(path, F_OK) == 0
        let newFD = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard newFD >= 0 else { throw ioError("open", errno) }
        guard flock(newFD, LOCK_EX | LOCK_NB) == 0 else {
            let e = errno
            close(newFD)
            if e == EWOULDBLOCK {
                throw SignerError(.journalIO, "signature journal \(path) is locked by another process: is another node using this datadir?")
            }
            throw ioError("lock", e)
        }
        fd = newFD
        if !existed { try syncDirectory() }

        let contents = try readAll(newFD)
        if contents.count < Self.magic.count {
            // Empty, or torn while its header was written: nothing was ever recorded.
            guard Self.magic.starts(with: contents) else {
                throw SignerError(.journalCorrupt, "\(path) is not a signature journal (bad header)")
            }
            try truncate(to: 0)
            try writeAll(newFD, Self.magic, what: "initialise")
            try sync(newFD, what: "sync")
            return []
        }
        guard contents.starts(with: Self.magic) else {
            throw SignerError(.journalCorrupt, "\(path) is not a signature journal (bad header)")
        }
        let body = contents.count - Self.magic.count
        let complete = body / Self.recordSize
        var goodLength = Self.magic.count + complete * Self.recordSize
        var records: [SignatureRecord] = []
        records.reserveCapacity(complete)
        for i in 0..<complete {
            let start = Self.magic.count + i * Self.recordSize
            if let record = Self.decode(contents[start..<start + Self.recordSize]) {
                records.append(record)
            } else if i == complete - 1 && body % Self.recordSize == 0 {
                goodLength = start  // the last record is torn (its bytes were not all written)
            } else {
                throw SignerError(.journalCorrupt,
                                  "signature journal \(path) has a damaged record \(i + 1) of \(complete) at byte \(start); " +
                                  "refusing to guess which blocks were signed (restore the file or move it away deliberately)")
            }
        }
        if goodLength < contents.count {
            logger.warning("signature journal had a torn last record (a crash during an append); dropping it",
                           metadata: ["path": "\(path)", "bytes": "\(contents.count - goodLength)"])
            try truncate(to: goodLength)
        }
        return records
    }

    private func readAll(_ fd: Int32) throws(SignerError) -> [UInt8] {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ioError("stat", errno) }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size))
        var total = 0
        while total < bytes.count {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + total, $0.count - total, off_t(total)) }
            if n < 0 { if errno == EINTR { continue }; throw ioError("read", errno) }
            if n == 0 { break }
            total += n
        }
        return Array(bytes[0..<total])
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8], what: String) throws(SignerError) {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, $0.count - written) }
            if n < 0 { if errno == EINTR { continue }; throw ioError(what, errno) }
            written += n
        }
    }

    private func sync(_ fd: Int32, what: String) throws(SignerError) {
        // No retry after a failed fsync: the kernel may have dropped the dirty pages.
        guard fsync(fd) == 0 else { throw ioError(what, errno) }
    }

    private func truncate(to length: Int) throws(SignerError) {
        guard ftruncate(fd, off_t(length)) == 0 else { throw ioError("truncate", errno) }
        try sync(fd, what: "sync")
    }

    /// Makes a created or renamed directory entry durable.
    private func syncDirectory() throws(SignerError) {
        var directory = path
        if let slash = directory.lastIndex(of: "/") {
            directory = slash == directory.startIndex ? "/" : String(directory[..<slash])
        } else {
            directory = "."
        }
        let dfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard dfd >= 0 else { throw ioError("open the directory of", errno) }
        defer { close(dfd) }
        guard fsync(dfd) == 0 else { throw ioError("sync the directory of", errno) }
    }

    private func ioError(_ what: String, _ code: Int32) -> SignerError {
        SignerError(.journalIO, "cannot \(what) signature journal \(path): \(errnoString(code))")
    }

    // MARK: - Record encoding

    static func encode(_ record: SignatureRecord) -> [UInt8] {
        var out: [UInt8]
        switch record {
        case .signed(let height, let digest): out = [0x53] + bigEndian(height) + digest.bytes
        case .withdrawn(let height, let digest): out = [0x57] + bigEndian(height) + digest.bytes
        case .rollback(let height): out = [0x52] + bigEndian(height) + [UInt8](repeating: 0, count: 32)
        case .pruned(let height): out = [0x50] + bigEndian(height) + [UInt8](repeating: 0, count: 32)
        }
        let crc = CRC32.checksum(out)
        out += [UInt8(crc >> 24), UInt8(truncatingIfNeeded: crc >> 16), UInt8(truncatingIfNeeded: crc >> 8), UInt8(truncatingIfNeeded: crc)]
        return out
    }

    /// The record in these 45 bytes, or nil when its checksum or kind is wrong.
    static func decode(_ bytes: ArraySlice<UInt8>) -> SignatureRecord? {
        let b = Array(bytes)
        guard b.count == recordSize else { return nil }
        let crc = UInt32(b[41]) << 24 | UInt32(b[42]) << 16 | UInt32(b[43]) << 8 | UInt32(b[44])
        guard CRC32.checksum(b[0..<41]) == crc else { return nil }
        var height: UInt64 = 0
        for i in 1...8 { height = height << 8 | UInt64(b[i]) }
        switch b[0] {
        case 0x53: return .signed(height: height, digest: Hash32(b[9..<41]))
        case 0x57: return .withdrawn(height: height, digest: Hash32(b[9..<41]))
        case 0x52: return .rollback(toHeight: height)
        case 0x50: return .pruned(below: height)
        default: return nil
        }
    }

    private static func bigEndian(_ v: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: v >> (56 - 8 * UInt64($0))) }
    }
}
