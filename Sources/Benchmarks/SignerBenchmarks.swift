import Foundation
import HTTPClient
import KMSTestServer
import Logging
import Primitives
import Signer

/// Block-signing throughput and latency per backend: the in-memory key (key-file signer), the
/// same behind the fsync'd double-sign guard, and AWS KMS over loopback against the fake
/// server (SigV4, JSON, DER, low-s normalisation and trial recovery included; no network).
enum SignerBenchmarks {
    static let quiet = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })

    static func run() async throws {
        let directory = NSTemporaryDirectory() + "rollup-bench-signer-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }

        let keyPath = directory + "/key"
        // A throwaway key, written the way an operator would write one.
        _ = FileManager.default.createFile(atPath: keyPath, contents: Data((randomKeyHex() + "\n").utf8),
                                       attributes: [.posixPermissions: 0o600])
        let keyFile = try LocalKeySigner.loadKeyFile(path: keyPath, allowInsecurePermissions: false)
        try await measure("key-file signer", count: 5_000, keyFile)

        let guarded = try await GuardedSigner(wrapping: keyFile, journalPath: directory + "/signatures.journal", logger: quiet)
        try await measure("key-file signer + double-sign guard (fsync)", count: 2_000, guarded)

        let server = try FakeKMSServer()
        defer { server.stop() }
        server.addKey(id: "bench", .init(privateKey: .random()))
        let configuration = KMSConfiguration(
            keyID: "bench", region: server.region, endpoint: server.endpoint,
            credentials: AWSCredentials(accessKeyID: server.accessKeyID, secretAccessKey: server.secretAccessKey))
        let kms = try await KMSSigner.connect(configuration: configuration, logger: quiet)
        try await measure("AWS KMS signer, loopback fake (SigV4 verified)", count: 2_000, kms)
        server.setSignatureMode(.highS)
        try await measure("AWS KMS signer, loopback fake, every s high", count: 2_000, kms)
    }

    static func measure(_ name: String, count: Int, _ signer: some BlockSigner) async throws {
        let clock = ContinuousClock()
        for i in 0..<min(100, count / 10) {  // warm-up (connection, caches); heights far from the timed ones
            _ = try await signer.sign(digest: digest(UInt64(i), salt: 1), height: 1_000_000 + UInt64(i))
        }
        var latencies: [Double] = []
        latencies.reserveCapacity(count)
        let start = clock.now
        for i in 0..<count {
            let t0 = clock.now
            let signature = try await signer.sign(digest: digest(UInt64(i), salt: 2), height: UInt64(i))
            latencies.append(seconds(t0.duration(to: clock.now)))
            blackHole(signature)
        }
        let total = seconds(start.duration(to: clock.now))
        latencies.sort()
        report("sign \(name)", Double(count) / total, unit: "signatures/s", decimals: 0)
        report("sign \(name) p50", latencies[count / 2] * 1e6, unit: "µs", decimals: 0)
        report("sign \(name) p99", latencies[count * 99 / 100] * 1e6, unit: "µs", decimals: 0)
    }

    static func digest(_ n: UInt64, salt: UInt64) -> Hash32 {
        Keccak.hash256(withUnsafeBytes(of: (n.bigEndian, salt.bigEndian)) { Array($0) })
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    static func randomKeyHex() -> String {
        var rng = SystemRandomNumberGenerator()
        while true {
            let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if (try? PrivateKey(bytes: bytes)) != nil { return Hex.encode(bytes, prefix: false) }
        }
    }
}
