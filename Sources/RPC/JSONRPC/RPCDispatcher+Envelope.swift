import JSON
/// Request envelopes and response bytes.
extension RPCDispatcher {
    /// Answers an already-parsed body (the server parses straight out of its socket buffer).
    func respond(to parsed: Result<JSONValue, JSONParseError>, deadline: ContinuousClock.Instant?) async -> [UInt8]? {
        let payload: JSONValue
        switch parsed {
        case .success(let value): payload = value
        case .failure(let error):
            logger.debug("rejected JSON-RPC body", metadata: ["error": "\(error)"])
            return Self.encode(id: .null, .failure(.parseError(error.description)))
        }
        guard case .array(let items) = payload else {
            return await respond(toElement: payload, deadline: deadline)
        }
        if items.isEmpty { return Self.encode(id: .null, .failure(.emptyBatch)) }
        if items.count > configuration.maxBatchSize {
            return Self.encode(id: .null, .failure(.batchTooLarge(limit: configuration.maxBatchSize)))
        }
        var out: [UInt8] = [UInt8(ascii: "[")]
        var any = false
        for item in items {
            guard let response = await respond(toElement: item, deadline: deadline) else { continue }
            if any { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: response)
            any = true
        }
        guard any else { return nil }
        out.append(UInt8(ascii: "]"))
        return out
    }

    /// One request object (alone or inside a batch); nil for a notification.
    private func respond(toElement element: JSONValue, deadline: ContinuousClock.Instant?) async -> [UInt8]? {
        guard case .object(let request) = element else {
            return Self.encode(id: .null, .failure(.invalidRequest("expected an object, got \(element.typeName)")))
        }
        var id: RPCID?
        if let raw = request["id"] {
            guard let parsed = RPCID(raw) else {
                return Self.encode(id: .null, .failure(.invalidRequest("id must be a number, a string or null")))
            }
            id = parsed
        }
        guard request["jsonrpc"] == .string("2.0") else {
            return Self.encode(id: id ?? .null, .failure(.invalidRequest("jsonrpc must be \"2.0\"")))
        }
        guard case .string(let method)? = request["method"] else {
            return Self.encode(id: id ?? .null, .failure(.invalidRequest("method must be a string")))
        }
        let result = await dispatch(method: method, params: request["params"] ?? .null, deadline: deadline)
        guard let id else { return nil }
        return Self.encode(id: id, result)
    }

    /// `{"jsonrpc":"2.0","id":...,"result":...}` or `{"jsonrpc":"2.0","id":...,"error":{...}}`.
    static func encode(id: RPCID, _ result: Result<JSONValue, JSONRPCError>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(96)
        out.append(contentsOf: prefix)
        id.jsonValue.serialize(into: &out)
        switch result {
        case .success(let value):
            out.append(contentsOf: resultKey)
            value.serialize(into: &out)
        case .failure(let error):
            out.append(contentsOf: errorKey)
            error.jsonValue.serialize(into: &out)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    private static let prefix: [UInt8] = Array(#"{"jsonrpc":"2.0","id":"#.utf8)
    private static let resultKey: [UInt8] = Array(#","result":"#.utf8)
    private static let errorKey: [UInt8] = Array(#","error":"#.utf8)
}
