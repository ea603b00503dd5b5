import Logging
import Synchronization

/// Keeps every log record, to check what operators would see (and what they must not).
///
///     let capture = LogCapture()
///     let watcher = try L1Watcher(..., logger: capture.logger(label: "watcher"))
///     #expect(capture.messages(.warning).contains { $0.contains("reorg") })
public final class LogCapture: Sendable {
    public struct Record: Sendable {
        public var level: Logger.Level
        public var message: String
        public var metadata: Logger.Metadata
    }

    private let records = Mutex<[Record]>([])

    public init() {}

    /// Every record, in order.
    public var all: [Record] { records.withLock { $0 } }

    /// The messages logged at `level`.
    public func messages(_ level: Logger.Level) -> [String] { all.filter { $0.level == level }.map(\.message) }

    /// Each record as `level message metadata`, for matching text anywhere in it.
    public var lines: [String] { all.map { "\($0.level) \($0.message) \($0.metadata)" } }

    /// A logger whose records land here (every level).
    public func logger(label: String) -> Logger {
        Logger(label: label, factory: { _ in Handler(capture: self) })
    }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let record = Record(level: event.level, message: event.message.description, metadata: event.metadata ?? [:])
            capture.records.withLock { $0.append(record) }
        }
    }
}
