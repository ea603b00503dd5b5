import JSON
/// A JSON-RPC 2.0 error object: `{"code", "message", "data"?}`.
///
/// This is the only place JSON-RPC codes are assigned. Handlers throw it (or an error that
/// conforms to ``JSONRPCErrorConvertible``); anything else they throw becomes -32603
/// "internal error" on the wire, with the details in the `rpc` log only.
public struct JSONRPCError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The JSON-RPC error code (see the `...Code` constants).
    public var code: Int
    /// What the client reads; never internal details.
    public var message: String
    /// Optional structured detail (e.g. revert data).
    public var data: JSONValue?

    public init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    public var description: String { "JSON-RPC error \(code): \(message)" }

    // MARK: Standard codes

    public static let parseErrorCode = -32700
    public static let invalidRequestCode = -32600
    public static let methodNotFoundCode = -32601
    public static let invalidParamsCode = -32602
    public static let internalErrorCode = -32603
    /// Geth's generic server error, used for transaction rejections.
    public static let serverErrorCode = -32000

    /// -32700: the body is not valid JSON. `detail` says what and where.
    public static func parseError(_ detail: String) -> JSONRPCError {
        JSONRPCError(code: parseErrorCode, message: "parse error: \(detail)")
    }

    /// -32600: valid JSON that is not a valid request.
    public static func invalidRequest(_ detail: String? = nil) -> JSONRPCError {
        JSONRPCError(code: invalidRequestCode, message: detail.map { "invalid request: \($0)" } ?? "invalid request")
    }

    /// -32600 for `[]`.
    public static let emptyBatch = JSONRPCError(code: invalidRequestCode, message: "empty batch")

    /// -32600 for a batch longer than the configured limit.
    public static func batchTooLarge(limit: Int) -> JSONRPCError {
        JSONRPCError(code: invalidRequestCode, message: "batch too large (at most \(limit) requests)")
    }

    /// -32601 in geth's words, for unknown methods and methods of disabled namespaces alike.
    public static func methodNotFound(_ method: String) -> JSONRPCError {
        JSONRPCError(code: methodNotFoundCode, message: "the method \(method) does not exist/is not available")
    }

    /// -32602 with a free-form message (``RPCParams`` builds the usual ones).
    public static func invalidParams(_ message: String) -> JSONRPCError {
        JSONRPCError(code: invalidParamsCode, message: message)
    }

    /// -32603 with the fixed message clients see for unexpected failures.
    public static let internalError = JSONRPCError(code: internalErrorCode, message: "internal error")

    /// -32603 for a handler that did not finish within the request timeout.
    public static let timeout = JSONRPCError(code: internalErrorCode, message: "request timed out")

    /// -32000 with `message` (geth's generic server error).
    public static func server(_ message: String, data: JSONValue? = nil) -> JSONRPCError {
        JSONRPCError(code: serverErrorCode, message: message, data: data)
    }

    /// The error object as JSON.
    public var jsonValue: JSONValue {
        var o: JSONObject = ["code": .int(code), "message": .string(message)]
        if let data { o.append("data", data) }
        return .object(o)
    }
}

/// An error that knows its JSON-RPC form. Modules that cannot import RPC keep their own error
/// types; the node declares the conformance where it wires them in.
public protocol JSONRPCErrorConvertible: Error {
    var jsonRPCError: JSONRPCError { get }
}
