import Engine
import JSON
import Primitives

/// One signed block as `rollupNode_getSignedBlocks` carries it (docs/followers.md):
/// `{"number", "hash", "header": rlp, "transactions": [raw envelope…], "signature": 65 bytes,
/// "stateEdits": rlp or null}`. Everything a follower needs to verify and re-execute it.
struct SignedBlockMessage: Sendable {
    var header: Header
    var transactions: [SignedTransaction]
    var signature: [UInt8]
    var stateEdits: [StateEdit]
    /// When the source committed the block (its wall clock, ms since 1970), when it still knew:
    /// informative, for the follower's propagation figures.
    var committedAt: UInt64?

    init(header: Header, transactions: [SignedTransaction], signature: [UInt8], stateEdits: [StateEdit]) {
        self.header = header; self.transactions = transactions; self.signature = signature; self.stateEdits = stateEdits
    }

    /// Reads block `hash` from the chain; nil when it or its signature is unknown.
    init?(chain: Chain, block: SealedBlock) throws {
        guard let signature = try chain.signature(blockHash: block.hash), !signature.isEmpty else { return nil }
        self.init(header: block.header, transactions: block.transactions, signature: signature,
                  stateEdits: try chain.stateEdits(blockHash: block.hash))
    }

    /// Raw bytes this block adds to a response (for the response's size budget).
    var rawSize: Int { transactions.reduce(600) { $0 + $1.encoded.count } }

    var json: JSONValue { .object(object) }

    var object: JSONObject {
        [
            "number": .string(Hex.encodeQuantity(header.number)),
            "hash": .string(header.hash.hex),
            "header": .string(Hex.encode(header.encoded)),
            "transactions": .array(transactions.map { .string(Hex.encode($0.encoded)) }),
            "signature": .string(Hex.encode(signature)),
            "stateEdits": stateEdits.isEmpty ? .null : .string(Hex.encode(StateEdit.encodeList(stateEdits))),
        ]
    }

    /// Decodes a block from a source; the hash and number given beside the header must be the
    /// header's (so a log line names what the source claimed).
    init(json: JSONValue) throws(WireError) {
        let headerBytes = try Self.bytes(json, "header")
        do { header = try Header(encoded: headerBytes) } catch { throw WireError("block header does not decode: \(error)") }
        if let claimed = json["hash"]?.stringValue, claimed.lowercased() != header.hash.hex {
            throw WireError("block \(header.number): \"hash\" \(claimed) is not the header's hash \(header.hash)")
        }
        guard let list = json["transactions"]?.arrayValue else { throw WireError("block \(header.number): \"transactions\" is not an array") }
        transactions = []
        transactions.reserveCapacity(list.count)
        for (i, item) in list.enumerated() {
            guard let text = item.stringValue else { throw WireError("block \(header.number): transaction \(i) is not a string") }
            do { transactions.append(try SignedTransaction(hex: text)) } catch {
                throw WireError("block \(header.number): transaction \(i) does not decode: \(error)")
            }
        }
        signature = try Self.bytes(json, "signature")
        committedAt = json["committedAt"]?.numberValue?.uint64
        if let edits = json["stateEdits"], !edits.isNull {
            do { stateEdits = try StateEdit.decodeList(try Self.bytes(json, "stateEdits")) } catch let e as WireError { throw e } catch {
                throw WireError("block \(header.number): state edits do not decode: \(error)")
            }
        } else {
            stateEdits = []
        }
    }

    static func bytes(_ json: JSONValue, _ key: String) throws(WireError) -> [UInt8] {
        guard let text = json[key]?.stringValue else { throw WireError("\"\(key)\" is missing or not a string") }
        do { return try Hex.decode(text) } catch { throw WireError("\"\(key)\" is not hex: \(error)") }
    }
}

extension RollbackNotice {
    var json: JSONValue {
        [
            "chainId": .string(Hex.encodeQuantity(chainID)),
            "toNumber": .string(Hex.encodeQuantity(toNumber)), "toHash": .string(toHash.hex),
            "fromNumber": .string(Hex.encodeQuantity(fromNumber)), "fromHash": .string(fromHash.hex),
            "signature": .string(Hex.encode(signature)),
        ]
    }

    init(json: JSONValue) throws(WireError) {
        func number(_ key: String) throws(WireError) -> UInt64 {
            guard let text = json[key]?.stringValue, let n = try? Hex.decodeQuantity(text) else {
                throw WireError("rollback notice: \"\(key)\" is not a quantity")
            }
            return n
        }
        func hash(_ key: String) throws(WireError) -> Hash32 {
            let bytes = try SignedBlockMessage.bytes(json, key)
            guard bytes.count == 32 else { throw WireError("rollback notice: \"\(key)\" is not 32 bytes") }
            return Hash32(bytes)
        }
        self.init(chainID: try number("chainId"), toNumber: try number("toNumber"), toHash: try hash("toHash"),
                  fromNumber: try number("fromNumber"), fromHash: try hash("fromHash"),
                  signature: try SignedBlockMessage.bytes(json, "signature"))
    }
}

/// A source's answer that does not follow docs/followers.md.
struct WireError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
