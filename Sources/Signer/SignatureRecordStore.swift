/// Durable storage for the double-sign guard's records.
///
/// `append` must not return before the record would survive a crash or power loss.
/// `SignatureJournal` is the file implementation; a RocksDB-backed store could replace it.
public protocol SignatureRecordStore: Sendable {
    /// Every record in the order it was appended. Called once, before any `append`.
    func load() async throws(SignerError) -> [SignatureRecord]
    /// Appends `record` and returns once it is on stable storage.
    func append(_ record: SignatureRecord) async throws(SignerError)
    /// Atomically replaces the whole content with `records` (compaction). A crash during the
    /// call leaves either the old or the new content.
    func replaceAll(with records: [SignatureRecord]) async throws(SignerError)
}
