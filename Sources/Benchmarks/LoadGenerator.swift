import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A closed-loop HTTP load generator: one blocking thread per keep-alive connection, each
/// sending the same request and waiting for its response before the next.
enum LoadGenerator {
    struct Result {
        var requests: Int
        var errors: Int
        var seconds: Double
        var latenciesNanoseconds: [UInt64]

        var requestsPerSecond: Double { Double(requests) / seconds }
        var p50Microseconds: Double { percentile(0.50) }
        var p99Microseconds: Double { percentile(0.99) }

        func percentile(_ p: Double) -> Double {
            guard !latenciesNanoseconds.isEmpty else { return 0 }
            let sorted = latenciesNanoseconds.sorted()
            return Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1000
        }
    }

    /// Runs `connections` clients for a warm-up of a tenth of `seconds`, then measures for `seconds`.
    static func run(port: Int, request: [UInt8], connections: Int, seconds: Double) -> Result? {
        let phase = Atomic<Int>(0)  // 0 warm-up, 1 measuring, 2 stop
        let results = Mutex<[(count: Int, errors: Int, latencies: [UInt64])]>([])
        let done = DispatchGroup()
        var threads: [Thread] = []
        for _ in 0..<connections {
            done.enter()
            let thread = Thread {
                let outcome = client(port: port, request: request, phase: phase)
                results.withLock { $0.append(outcome) }
                done.leave()
            }
            thread.stackSize = 256 * 1024
            threads.append(thread)
        }
        threads.forEach { $0.start() }
        Thread.sleep(forTimeInterval: seconds / 10)
        let start = ContinuousClock.now
        phase.store(1, ordering: .sequentiallyConsistent)
        Thread.sleep(forTimeInterval: seconds)
        phase.store(2, ordering: .sequentiallyConsistent)
        let elapsed = start.duration(to: .now)
        done.wait()
        let all = results.withLock { $0 }
        var latencies: [UInt64] = []
        for r in all { latencies.append(contentsOf: r.latencies) }
        let s = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Result(requests: latencies.count, errors: all.reduce(0) { $0 + $1.errors }, seconds: s, latenciesNanoseconds: latencies)
    }

    private static func client(port: Int, request: [UInt8], phase: borrowing Atomic<Int>) -> (count: Int, errors: Int, latencies: [UInt64]) {
        var latencies: [UInt64] = []
        latencies.reserveCapacity(100_000)
        var errors = 0
        guard let fd = connect(port: port) else { return (0, 1, []) }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let p = phase.load(ordering: .relaxed)
            if p == 2 { break }
            let t0 = DispatchTime.now().uptimeNanoseconds
            let ok = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == request.count
                && readResponse(fd, &buffer)
            let t1 = DispatchTime.now().uptimeNanoseconds
            if !ok {
                errors += 1
                break
            }
            if p == 1 { latencies.append(t1 - t0) }
        }
        return (latencies.count, errors, latencies)
    }

    private static func connect(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    /// Reads one response framed by content-length; false on error or close.
    private static func readResponse(_ fd: Int32, _ buffer: inout [UInt8]) -> Bool {
        var filled = 0
        var headEnd = -1
        var bodyLength = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + filled, $0.count - filled, 0) }
            guard n > 0 else { return false }
            filled += n
            if headEnd < 0 {
                guard let end = findHeadEnd(buffer, filled) else { continue }
                headEnd = end
                guard let length = contentLength(buffer, end) else { return false }
                bodyLength = length
            }
            if filled >= headEnd + bodyLength { return true }
        }
    }

    private static func findHeadEnd(_ b: [UInt8], _ count: Int) -> Int? {
        guard count >= 4 else { return nil }
        for i in 0...(count - 4) where b[i] == 13 && b[i + 1] == 10 && b[i + 2] == 13 && b[i + 3] == 10 { return i + 4 }
        return nil
    }

    /// The value of `content-length` (any case) in the head `b[0..<headEnd]`.
    private static func contentLength(_ b: [UInt8], _ headEnd: Int) -> Int? {
        let name = Array("content-length:".utf8)
        var i = 0
        while i + name.count < headEnd {
            var match = true
            for k in 0..<name.count where b[i + k] | 0x20 != name[k] | 0x20 {
                match = false
                break
            }
            if match {
                var j = i + name.count
                while j < headEnd, b[j] == UInt8(ascii: " ") { j += 1 }
                var value = 0
                while j < headEnd, b[j] >= UInt8(ascii: "0"), b[j] <= UInt8(ascii: "9") {
                    value = value * 10 + Int(b[j] - UInt8(ascii: "0"))
                    j += 1
                }
                return value
            }
            i += 1
        }
        return nil
    }
}
