import Foundation
import Logging

/// Writes log lines to standard error, one per line (`2026-11-21T19:00:00Z INFO sequencer: Built
/// payload number=5 …`), with a level per component label (`--log.filter`) over a default
/// (`--log.level`).
struct ComponentLogHandler: LogHandler {
    let label: String
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level

    static let lock = NSLock()

    init(label: String, defaultLevel: Logger.Level, filter: [String: Logger.Level]) {
        self.label = label
        logLevel = filter[label] ?? defaultLevel
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        write(level: event.level, message: event.message, explicit: event.metadata, error: event.error)
    }

    func log(level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?,
             source: String, file: String, function: String, line: UInt) {
        write(level: level, message: message, explicit: explicit, error: nil)
    }

    private func write(level: Logger.Level, message: Logger.Message, explicit: Logger.Metadata?, error: (any Error)?) {
        var all = metadata
        if let explicit { all.merge(explicit) { $1 } }
        if let error { all["error"] = "\(error)" }
        let fields = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let time = Date().formatted(.iso8601)
        let text = "\(time) \(level.rawValue.uppercased()) \(label): \(message)\(fields.isEmpty ? "" : " " + fields)\n"
        Self.lock.lock()
        FileHandle.standardError.write(Data(text.utf8))
        Self.lock.unlock()
    }
}
