import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What /proc and the file system say about the node, this process and the machine.
enum SystemProbe {
    /// VmRSS of `pid`, in bytes.
    static func residentBytes(pid: Int32) -> UInt64? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 2, let kB = UInt64(fields[1]) { return kB * 1024 }
        }
        return nil
    }

    /// User + system CPU time of `pid` (0 = this process), seconds.
    static func cpuSeconds(pid: Int32) -> Double? {
        let path = pid == 0 ? "/proc/self/stat" : "/proc/\(pid)/stat"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        // Fields after the command name: state is field 3; utime and stime are fields 14 and 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Busy and total jiffies of the whole machine (/proc/stat's cpu line).
    static func machineJiffies() -> (busy: Double, total: Double)? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return nil }
        let v = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        guard v.count >= 5 else { return nil }
        let total = v.prefix(8).reduce(0, +)
        let idle = v[3] + v[4]
        return (total - idle, total)
    }

    static func loadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
    }

    /// Bytes allocated on disk under `path` (as du counts them: st_blocks * 512).
    static func diskBytes(_ path: String) -> UInt64 {
        var total: UInt64 = 0
        var st = stat()
        if lstat(path, &st) == 0 { total += UInt64(st.st_blocks) * 512 }
        guard let items = try? FileManager.default.subpathsOfDirectory(atPath: path) else { return total }
        for item in items where lstat(path + "/" + item, &st) == 0 {
            total += UInt64(st.st_blocks) * 512
        }
        return total
    }

    static var cpuModel: String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
              let colon = line.firstIndex(of: ":") else { return "?" }
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
}
