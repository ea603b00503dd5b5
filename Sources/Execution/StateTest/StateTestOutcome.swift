import Primitives

/// The result of one (test, fork, indexes) entry, printed as one JSON line.
public struct StateTestOutcome: Sendable {
    public var name: String
    public var fork: String
    public var dataIndex: Int, gasIndex: Int, valueIndex: Int
    public var stateRoot: Hash32
    public var logsHash: Hash32
    public var pass: Bool
    public var error: String?

    public var jsonLine: String {
        let errorText = error.map { "\"" + Self.escape($0) + "\"" } ?? "null"
        return "{\"name\":\"\(Self.escape(name))\",\"fork\":\"\(fork)\",\"index\":{\"data\":\(dataIndex),\"gas\":\(gasIndex),\"value\":\(valueIndex)},\"stateRoot\":\"\(stateRoot.hex)\",\"logsHash\":\"\(logsHash.hex)\",\"pass\":\(pass),\"error\":\(errorText)}"
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default:
                if c.value < 0x20 { out += String(format: c.value) } else { out.unicodeScalars.append(c) }
            }
        }
        return out
    }

    private static func String(format v: UInt32) -> Swift.String {
        let h = Swift.String(v, radix: 16)
        return "\\u" + Swift.String(repeating: "0", count: 4 - h.count) + h
    }
}
