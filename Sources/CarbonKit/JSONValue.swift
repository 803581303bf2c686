import Foundation

/// A JSON document built in code, written with keys in the order given, so printed
/// reports read the way the documentation shows them.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case integer(Int)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.serialized() == b.serialized() }

    /// Compact or indented JSON text. Non-finite numbers (which JSON cannot hold) become null.
    public func serialized(pretty: Bool = false) -> String {
        var out = ""
        write(into: &out, pretty: pretty, indent: 0)
        return out
    }

    private func write(into out: inout String, pretty: Bool, indent: Int) {
        switch self {
        case .null: out += "null"
        case let .bool(b): out += b ? "true" : "false"
        case let .integer(i): out += String(i)
        case let .number(x): out += JSONValue.format(x)
        case let .string(s): JSONValue.quote(s, into: &out)
        case let .array(items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                if pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
                item.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { out += "\n" + String(repeating: "  ", count: indent) }
            out += "]"
        case let .object(members):
            if members.isEmpty { out += "{}"; return }
            out += "{"
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out += "," }
                if pretty { out += "\n" + String(repeating: "  ", count: indent + 1) }
                JSONValue.quote(key, into: &out)
                out += pretty ? ": " : ":"
                value.write(into: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { out += "\n" + String(repeating: "  ", count: indent) }
            out += "}"
        }
    }

    /// The shortest text that reads back as the same Double; integers print without ".0".
    public static func format(_ x: Double) -> String {
        guard x.isFinite else { return "null" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        return "\(x)"
    }

    static func quote(_ s: String, into out: inout String) {
        out += "\""
        // Runs of characters that need no escape are copied in one piece: most text has none.
        var text = s
        text.withUTF8 { bytes in
            var start = 0
            for (index, byte) in bytes.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                if index > start { out += String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self) }
                switch byte {
                case 0x22: out += "\\\""
                case 0x5C: out += "\\\\"
                case 0x0A: out += "\\n"
                case 0x0D: out += "\\r"
                case 0x09: out += "\\t"
                default: out += String(format: "\\u%04x", byte)
                }
                start = index + 1
            }
            if start < bytes.count { out += String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self) }
        }
        out += "\""
    }
}

extension JSONValue {
    /// Parses JSON text; object members come out sorted by key. Nil when the text is not JSON.
    public init?(parsing text: String) {
        guard let data = text.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else { return nil }
        self.init(foundation: object)
    }

    init(foundation object: Any) {
        switch object {
        case let number as NSNumber where String(describing: type(of: number)).contains("Boolean"):
            // JSONSerialization hands back true and false as a boolean subclass of NSNumber.
            self = .bool(number.boolValue)
        case let number as NSNumber:
            let x = number.doubleValue
            self = x == x.rounded() && abs(x) < 9e15 && !String(describing: number).contains(".") ? .integer(Int(x)) : .number(x)
        case let string as String:
            self = .string(string)
        case let array as [Any]:
            self = .array(array.map(JSONValue.init(foundation:)))
        case let dictionary as [String: Any]:
            self = .object(dictionary.keys.sorted().map { ($0, JSONValue(foundation: dictionary[$0]!)) })
        default:
            self = .null
        }
    }
}

extension JSONValue {
    /// A value read strictly (``JSONReader``): a whole number that fits stays whole.
    public init(_ node: JSONNode) {
        switch node {
        case .null: self = .null
        case let .bool(b): self = .bool(b)
        case let .number(text):
            if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let n = Int(text) { self = .integer(n) } else { self = .number(Double(text) ?? .nan) }
        case let .string(s): self = .string(s)
        case let .array(items): self = .array(items.map(JSONValue.init))
        case let .object(object): self = .object(object.members.map { ($0.key, JSONValue($0.value)) })
        }
    }
}
