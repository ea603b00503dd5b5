#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Refuses writes while the datadir's filesystem has less than a minimum of free space,
/// so RocksDB itself rarely meets ENOSPC.
///
/// Why: Debian's librocksdb 7.8 is built with assertions enabled, and its info-LOG writer
/// aborts the process on the second write after a failed one (fixed upstream in 8.1,
/// facebook/rocksdb#11314). A full disk under the default configuration would therefore
/// crash the node instead of failing a write. Checking `statvfs` costs a syscall, so it is
/// repeated only every 200 ms or after half of the remaining headroom has been written.
final class FreeSpaceGuard: Sendable {
    private struct State {
        var lastCheck: ContinuousClock.Instant?
        /// Bytes that may still be written before the next `statvfs`.
        var budget: Int = 0
    }

    let path: String
    let minimum: Int
    private let state = Mutex(State())

    init(path: String, minimum: Int) {
        self.path = path
        self.minimum = minimum
    }

    /// Free bytes available to this process on the filesystem holding `path`, or nil if
    /// the system cannot tell.
    static func freeBytes(at path: String) -> Int? {
        var info = statvfs()
        guard statvfs(path, &info) == 0 else { return nil }
        let free = UInt64(info.f_bavail).multipliedReportingOverflow(by: UInt64(info.f_frsize))
        return free.overflow ? Int.max : Int(clamping: free.partialValue)
    }

    /// Throws `.noSpace` if fewer than `minimum` bytes are free (checked now, uncached).
    func checkNow() throws(StorageError) {
        guard minimum > 0, let free = Self.freeBytes(at: path) else { return }
        if free < minimum { throw lowSpaceError(free: free) }
    }

    /// Accounts for a write of about `bytes` bytes; throws `.noSpace` if the filesystem is
    /// below the minimum.
    func reserve(_ bytes: Int) throws(StorageError) {
        guard minimum > 0 else { return }
        let now = ContinuousClock.now
        let failure: StorageError? = state.withLock { state in
            let stale = state.lastCheck.map { now - $0 > .milliseconds(200) } ?? true
            if stale || state.budget < bytes {
                guard let free = Self.freeBytes(at: path) else { return nil }
                guard free >= minimum else {
                    state.lastCheck = nil  // check again on the next write
                    return lowSpaceError(free: free)
                }
                state.lastCheck = now
                state.budget = (free - minimum) / 2
            }
            state.budget -= bytes
            return nil
        }
        if let failure { throw failure }
    }

    private func lowSpaceError(free: Int) -> StorageError {
        var error = StorageError(
            code: .noSpace,
            message: "\(mebibytes(free)) free, below the configured minimum of \(mebibytes(minimum)) "
                + "(StorageConfiguration.minimumFreeSpace); writes are refused until space is freed",
            path: path)
        error.messageIsFromRocksDB = false
        return error
    }

    private func mebibytes(_ bytes: Int) -> String {
        let tenths = bytes * 10 / (1 << 20)
        return "\(tenths / 10).\(tenths % 10) MiB"
    }
}
