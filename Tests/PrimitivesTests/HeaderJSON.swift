import TestSupport
@testable import Primitives

/// Builds a `Header` from JSON fields, for fixtures. ethereum/tests uses its own field names
/// (`uncleHash`, `coinbase`, `transactionsTrie`, ...); our own vectors use the Swift names.
enum HeaderJSON {
    /// Swift field name -> ethereum/tests field name.
    static let ethereumTestsNames: [String: String] = [
        "ommersHash": "uncleHash", "beneficiary": "coinbase", "transactionsRoot": "transactionsTrie",
        "receiptsRoot": "receiptTrie", "logsBloom": "bloom",
    ]

    static func header(from json: [String: Any], ethereumTestsNames: Bool) throws -> Header {
        func field(_ name: String) -> String? {
            json[ethereumTestsNames ? (Self.ethereumTestsNames[name] ?? name) : name] as? String
        }
        func required(_ name: String) throws -> String {
            guard let s = field(name) else { throw FixtureError.missing(name) }
            return s
        }
        func bytes(_ s: String) throws -> [UInt8] {
            var digits = String(s.dropFirst(2))
            if digits.count % 2 == 1 { digits = "0" + digits }
            return try Fixtures.bytes(digits)
        }
        func u256(_ s: String) throws -> U256 {
            guard let v = U256(bigEndian: try bytes(s)) else { throw FixtureError.malformed(s) }
            return v
        }
        func u64(_ s: String) throws -> UInt64 {
            guard let v = try u256(s).uint64 else { throw FixtureError.malformed(s) }
            return v
        }
        func hash(_ s: String) throws -> Hash32 { try Hash32(validating: try bytes(s)) }

        return Header(
            parentHash: try hash(required("parentHash")),
            ommersHash: try hash(required("ommersHash")),
            beneficiary: Address(try bytes(required("beneficiary"))),
            stateRoot: try hash(required("stateRoot")),
            transactionsRoot: try hash(required("transactionsRoot")),
            receiptsRoot: try hash(required("receiptsRoot")),
            logsBloom: Bloom(try bytes(required("logsBloom"))),
            difficulty: try u256(required("difficulty")),
            number: try u64(required("number")),
            gasLimit: try u64(required("gasLimit")),
            gasUsed: try u64(required("gasUsed")),
            timestamp: try u64(required("timestamp")),
            extraData: try bytes(required("extraData")),
            mixHash: try hash(required("mixHash")),
            nonce: try u64(required("nonce")),
            baseFeePerGas: try field("baseFeePerGas").map(u256),
            withdrawalsRoot: try field("withdrawalsRoot").map(hash),
            blobGasUsed: try field("blobGasUsed").map(u64),
            excessBlobGas: try field("excessBlobGas").map(u64),
            parentBeaconBlockRoot: try field("parentBeaconBlockRoot").map(hash),
            requestsHash: try field("requestsHash").map(hash)
        )
    }
}
