import HTTPClient
import JSON
import RPC
import Synchronization

/// On a follower, `eth_sendRawTransaction` and `eth_sendRawTransactionSync` go to the node it
/// follows (the sequencer, or the next follower up the tree, which forwards them on) and answer
/// exactly what that node answers: its result, or its error with the same code, message and
/// data. The follower's own pool takes nothing: the sequencer's pool is the one that counts.
/// A source that cannot be reached is -32000 naming it.
final class TransactionForwarder: Sendable {
    private let clients: [CurlHTTPClient]
    private let next = Atomic<Int>(0)
    private let target: @Sendable () -> String

    /// `target` is read per call (the follower's current source).
    init(connections: Int = 8, target: @escaping @Sendable () -> String) throws(HTTPClientError) {
        var clients: [CurlHTTPClient] = []
        for i in 0..<connections {
            // eth_sendRawTransactionSync waits for inclusion at the sequencer: allow its wait.
            clients.append(try CurlHTTPClient(configuration: .init(connectTimeout: .seconds(3), requestTimeout: .seconds(60)),
                                              label: "forward-\(i)"))
        }
        self.clients = clients
        self.target = target
    }

    func forward(_ method: String, _ params: RPCParams) async throws -> JSONValue {
        let url = target()
        let request: JSONValue = ["jsonrpc": "2.0", "id": 1, "method": .string(method), "params": .array(params.values)]
        let client = clients[next.add(1, ordering: .relaxed).oldValue % clients.count]
        let response: HTTPResponse
        do {
            response = try await client.send(HTTPRequest(url: url, headers: [("Content-Type", "application/json")], body: request.serialized()))
        } catch {
            throw JSONRPCError(code: JSONRPCError.serverErrorCode, message: "could not forward \(method) to the sequencer at \(url): \(error)")
        }
        guard let json = try? JSONValue(parsing: response.body) else {
            throw JSONRPCError(code: JSONRPCError.serverErrorCode,
                               message: "could not forward \(method) to the sequencer at \(url): it answered HTTP \(response.status) without JSON")
        }
        if let error = json["error"], !error.isNull {
            throw JSONRPCError(code: error["code"]?.numberValue?.int ?? JSONRPCError.serverErrorCode,
                               message: error["message"]?.stringValue ?? "\(error)", data: error["data"])
        }
        return json["result"] ?? .null
    }
}
