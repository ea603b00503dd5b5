import Primitives
internal import CZstd

/// The zstd compression Scroll's L1 fee measures a transaction with (scroll-tech/reth,
/// `crates/scroll/alloy/evm/src/tx/compression.rs`, commit 7c14012): level 0 (zstd's default), literals not
/// compressed, window log 22, target block size 124 KiB, magicless frames without checksum or
/// dictionary ID, with the content size, the source size pledged.
public enum ScrollCompression {
    public static let windowLog: Int32 = 22
    public static let targetBlockSize: Int32 = 124 * 1_024

    /// Galileo's compressed size: min(zstd size, size), 0 for empty input (scroll-tech/reth
    /// `compute_compressed_size`).
    public static func compressedSize(_ bytes: [UInt8]) -> Int { min(zstdSize(bytes), bytes.count) }

    /// The size of the zstd frame for `bytes` with Scroll's settings (0 for empty input).
    public static func zstdSize(_ bytes: [UInt8]) -> Int {
        if bytes.isEmpty { return 0 }
        guard let context = ZSTD_createCCtx() else { fatalError("ZSTD_createCCtx failed (out of memory)") }
        defer { ZSTD_freeCCtx(context) }
        func set(_ parameter: ZSTD_cParameter, _ value: Int32) {
            let code = ZSTD_CCtx_setParameter(context, parameter, value)
            precondition(ZSTD_isError(code) == 0, "zstd parameter \(parameter) rejected")
        }
        // zstd.h names three of these with macros Swift does not import: ZSTD_c_format is
        // experimentalParam2, ZSTD_c_literalCompressionMode 5, ZSTD_c_targetCBlockSize 6.
        set(ZSTD_c_compressionLevel, 0)
        set(ZSTD_c_experimentalParam5, Int32(ZSTD_ps_disable.rawValue))
        set(ZSTD_c_windowLog, windowLog)
        set(ZSTD_c_experimentalParam6, targetBlockSize)
        set(ZSTD_c_checksumFlag, 0)
        set(ZSTD_c_experimentalParam2, Int32(ZSTD_f_zstd1_magicless.rawValue))
        set(ZSTD_c_dictIDFlag, 0)
        set(ZSTD_c_contentSizeFlag, 1)
        precondition(ZSTD_isError(ZSTD_CCtx_setPledgedSrcSize(context, UInt64(bytes.count))) == 0)
        var output = [UInt8](repeating: 0, count: ZSTD_compressBound(bytes.count))
        let written = output.withUnsafeMutableBytes { out in
            bytes.withUnsafeBytes { input in
                ZSTD_compress2(context, out.baseAddress, out.count, input.baseAddress, input.count)
            }
        }
        precondition(ZSTD_isError(written) == 0, "zstd compression failed")
        return written
    }

    /// Feynman's compression ratio of `bytes`: max(1e9, size · 1e9 / compressed size), and
    /// 2^256 - 1 for empty input (as scroll-tech/reth's `compute_compression_ratio`).
    public static func compressionRatio(_ bytes: [UInt8]) -> U256 {
        if bytes.isEmpty { return U256(l0: .max, l1: .max, l2: .max, l3: .max) }
        let compressed = compressedSize(bytes)
        if compressed == bytes.count { return L1Fee.precision }
        return L1Fee.compressionRatio(length: bytes.count, compressedSize: compressed)
    }
}
