import JSON
import Primitives

/// JSON-RPC over one `HTTPConnection`: single calls and batches, parsed with the node's own
/// JSON parser (the fastest one in the package).
final class RPCClient {
    enum Reply {
        case result(JSONValue)
        case error(code: Int, message: String)

        var result: JSONValue? { if case .result(let v) = self { v } else { nil } }
    }

    let connection: HTTPConnection

    init(endpoint: HTTPEndpoint) { connection = HTTPConnection(endpoint: endpoint) }

    /// `params` is the JSON text of the params array, e.g. `["0x1", false]`.
    static func body(_ method: String, _ params: String, id: Int = 1) -> [UInt8] {
        Array(#"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)","params":\#(params)}"#.utf8)
    }

    /// eth_sendRawTransaction's body for encoded transaction bytes.
    static func sendRawBody(_ encoded: ArraySlice<UInt8>) -> [UInt8] {
        var out = Array(#"{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x"#.utf8)
        out.reserveCapacity(out.count + encoded.count * 2 + 4)
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        for b in encoded {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        out.append(contentsOf: #""]}"#.utf8)
        return out
    }

    func call(_ method: String, _ params: String) throws(LoadGeneratorError) -> Reply {
        try Self.reply(from: try parse(try connection.post(Self.body(method, params))), method: method)
    }

    /// Calls `method` and insists on a result.
    func result(_ method: String, _ params: String) throws(LoadGeneratorError) -> JSONValue {
        switch try call(method, params) {
        case .result(let v): return v
        case .error(let code, let message):
            throw LoadGeneratorError(.protocolViolation, "\(method) failed: \(code) \(message)")
        }
    }

    /// One batch; the replies in the order of `calls`.
    func batch(_ calls: [(method: String, params: String)]) throws(LoadGeneratorError) -> [Reply] {
        guard !calls.isEmpty else { return [] }
        var body: [UInt8] = [UInt8(ascii: "[")]
        for (i, c) in calls.enumerated() {
            if i > 0 { body.append(UInt8(ascii: ",")) }
            body.append(contentsOf: Self.body(c.method, c.params, id: i))
        }
        body.append(UInt8(ascii: "]"))
        let value = try parse(try connection.post(body))
        guard let items = value.arrayValue else {
            if let message = value["error"]?["message"]?.stringValue {
                throw LoadGeneratorError(.protocolViolation, "batch of \(calls.count) \(calls[0].method) refused: \(message)")
            }
            throw LoadGeneratorError(.protocolViolation, "a batch answered with \(value.typeName)")
        }
        var replies = [Reply?](repeating: nil, count: calls.count)
        for item in items {
            guard let id = item["id"]?.numberValue?.int, replies.indices.contains(id) else {
                throw LoadGeneratorError(.protocolViolation, "a batch reply with an unknown id")
            }
            replies[id] = try Self.reply(from: item, method: calls[id].method)
        }
        return try replies.map { r throws(LoadGeneratorError) in
            guard let r else { throw LoadGeneratorError(.protocolViolation, "a batch reply is missing") }
            return r
        }
    }

    func parse(_ response: HTTPConnection.Response) throws(LoadGeneratorError) -> JSONValue {
        guard response.status == 200 else {
            throw LoadGeneratorError(.protocolViolation, "HTTP \(response.status): \(String(decoding: response.body.prefix(200), as: UTF8.self))")
        }
        do { return try JSONValue(parsing: response.body) } catch {
            throw LoadGeneratorError(.protocolViolation, "the node's response is not JSON", underlying: error)
        }
    }

    static func reply(from value: JSONValue, method: String) throws(LoadGeneratorError) -> Reply {
        if let error = value["error"], !error.isNull {
            let code = error["code"]?.numberValue?.int ?? 0
            return .error(code: code, message: error["message"]?.stringValue ?? "\(error)")
        }
        guard let result = value["result"] else { throw LoadGeneratorError(.protocolViolation, "\(method): no result and no error") }
        return .result(result)
    }
}

extension JSONValue {
    /// A `0x` quantity as UInt64.
    var quantity: UInt64? { stringValue.flatMap { try? Hex.decodeQuantity($0) } }
    var hash: Hash32? { stringValue.flatMap { try? Hash32(hex: $0) } }
}
