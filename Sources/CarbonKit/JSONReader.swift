import Foundation

/// A JSON value as read from a request body. A number keeps the text it was written with, so a
/// decimal keeps every place it was given (`0.1234567` is seen with its seventh) and a reader
/// decides how it is parsed; an object keeps its members in the order written. Not `indirect`:
/// arrays and objects already hold their items out of line, and a boxed case would cost every
/// string and number of a post an allocation of its own.
public enum JSONNode: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONNode])
    case object(JSONObject)

    /// The value as short JSON text, for naming it in an error.
    public var shown: String {
        switch self {
        case .null: "null"
        case let .bool(value): value ? "true" : "false"
        case let .number(text), let .string(text): text
        case .array, .object: String(json.prefix(80))
        }
    }

    var json: String {
        switch self {
        case .null, .bool, .number: shown
        case let .string(text): JSONValue.string(text).serialized()
        case let .array(items): "[" + items.map(\.json).joined(separator: ",") + "]"
        case let .object(object):
            "{" + object.members.map { JSONValue.string($0.key).serialized() + ":" + $0.value.json }.joined(separator: ",") + "}"
        }
    }
}

/// An object's members in the order written; no key appears twice (``JSONReader`` refuses that).
public struct JSONObject: Sendable, Equatable {
    public var members: [(key: String, value: JSONNode)]

    public init(members: [(key: String, value: JSONNode)]) { self.members = members }

    public subscript(key: String) -> JSONNode? {
        for member in members where member.key == key { return member.value }
        return nil
    }

    public var keys: [String] { members.map(\.key) }

    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        a.members.count == b.members.count && zip(a.members, b.members).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}

/// Why a body is not JSON this platform reads, with the place: the byte offset of a syntax
/// error, or the path of a key given twice.
public enum JSONReadError: Error, Sendable, Equatable, CustomStringConvertible {
    case syntax(offset: Int, reason: String)
    /// Parsers disagree on a key given twice in one object (Foundation keeps the last, others the
    /// first), so a signed body that could be read two ways is refused rather than read one way.
    case repeatedKey(path: String)

    public var description: String {
        switch self {
        case let .syntax(offset, reason): "not JSON at byte \(offset): \(reason)"
        case let .repeatedKey(path): "\(path) appears twice in one object: the body could be read two ways"
        }
    }
}

/// Strict JSON (RFC 8259) read from UTF-8 bytes in one pass: no trailing commas, comments, leading
/// zeros, control characters in strings, lone surrogates or invalid UTF-8, nothing after the value,
/// nesting at most `maximumDepth`, and no key twice in one object (compared after unescaping, so
/// `"\u0073erial"` repeats `"serial"`). Partners' posts are read with it: it is several times
/// faster than `JSONSerialization`, and its errors say where.
public enum JSONReader {
    /// `maximumItems`: the most items an array may hold, so a body of millions is refused early
    /// rather than read whole first.
    public static func read(_ data: Data, maximumDepth: Int = 64, maximumItems: Int = .max) throws(JSONReadError) -> JSONNode {
        let result: Result<JSONNode, JSONReadError> = data.withUnsafeBytes { raw in
            var parser = Parser(bytes: raw.bindMemory(to: UInt8.self), maximumDepth: maximumDepth, maximumItems: maximumItems)
            do {
                parser.skipSpace()
                let value = try parser.value()
                parser.skipSpace()
                if parser.index < parser.bytes.count { throw parser.error("more text after the JSON value") }
                return .success(value)
            } catch let error as JSONReadError {
                return .failure(error)
            } catch {
                return .failure(.syntax(offset: 0, reason: "\(error)"))
            }
        }
        return try result.get()
    }

    enum PathStep { case key(String), index(Int) }

    struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        let maximumDepth: Int
        let maximumItems: Int
        var index = 0
        /// Where the value being read sits, kept as steps and spelt out only for a repeated key.
        var path: [PathStep] = []

        init(bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int, maximumItems: Int) {
            (self.bytes, self.maximumDepth, self.maximumItems) = (bytes, maximumDepth, maximumItems)
        }

        func error(_ reason: String, at offset: Int? = nil) -> JSONReadError { .syntax(offset: offset ?? index, reason: reason) }

        mutating func skipSpace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func value() throws(JSONReadError) -> JSONNode {
            guard index < bytes.count else { throw error("the text ends where a value should be") }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object()
            case UInt8(ascii: "["): return try array()
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
            default: throw error("a value cannot start with \(Self.describe(bytes[index]))")
            }
        }

        static func describe(_ byte: UInt8) -> String {
            (0x21..<0x7F).contains(byte) ? "`\(Character(Unicode.Scalar(byte)))`" : String(format: "byte 0x%02X", byte)
        }

        mutating func literal(_ word: StaticString) throws(JSONReadError) {
            let count = word.utf8CodeUnitCount
            guard index + count <= bytes.count,
                  (0..<count).allSatisfy({ bytes[index + $0] == word.utf8Start[$0] }) else { throw error("not a JSON value") }
            index += count
        }

        mutating func enter() throws(JSONReadError) {
            guard path.count < maximumDepth else { throw error("nested deeper than \(maximumDepth) levels") }
        }

        mutating func object() throws(JSONReadError) -> JSONNode {
            try enter()
            index += 1
            var members: [(key: String, value: JSONNode)] = []
            var seen: Set<String>?
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(JSONObject(members: members)) }
            // An event has about eight members: one allocation instead of four as it grows.
            members.reserveCapacity(8)
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("an object's key must be a string") }
                let key = try string()
                // Few members: compare with each; many: a set, so a huge object stays linear.
                if members.count < 16 {
                    if members.contains(where: { $0.key == key }) { throw repeated(key) }
                } else {
                    if seen == nil { seen = Set(members.map(\.key)) }
                    if !seen!.insert(key).inserted { throw repeated(key) }
                }
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("a `:` must follow an object's key") }
                index += 1
                skipSpace()
                path.append(.key(key))
                let member = try value()
                path.removeLast()
                members.append((key, member))
                skipSpace()
                guard index < bytes.count else { throw error("the text ends inside an object") }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(JSONObject(members: members)) }
                guard bytes[index] == UInt8(ascii: ",") else { throw error("a `,` or `}` must follow an object's member") }
                index += 1
            }
        }

        func repeated(_ key: String) -> JSONReadError {
            var text = ""
            for step in path + [.key(key)] {
                switch step {
                case let .key(name): text += text.isEmpty ? name : "." + name
                case let .index(position): text += "[\(position)]"
                }
            }
            return .repeatedKey(path: text)
        }

        mutating func array() throws(JSONReadError) -> JSONNode {
            try enter()
            index += 1
            var items: [JSONNode] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
            while true {
                skipSpace()
                guard items.count < maximumItems else { throw error("an array holds more than \(maximumItems) items") }
                path.append(.index(items.count))
                let item = try value()
                path.removeLast()
                items.append(item)
                skipSpace()
                guard index < bytes.count else { throw error("the text ends inside an array") }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(items) }
                guard bytes[index] == UInt8(ascii: ",") else { throw error("a `,` or `]` must follow an array's item") }
                index += 1
            }
        }

        /// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, returned as written.
        mutating func number() throws(JSONReadError) -> String {
            let start = index
            func digits(_ parser: inout Parser) -> Int {
                let first = parser.index
                while parser.index < parser.bytes.count, (0x30...0x39).contains(parser.bytes[parser.index]) { parser.index += 1 }
                return parser.index - first
            }
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, (0x30...0x39).contains(bytes[index]) else { throw error("a number needs a digit") }
            if bytes[index] == 0x30 {
                index += 1
                if index < bytes.count, (0x30...0x39).contains(bytes[index]) { throw error("a number cannot start with 0", at: start) }
            } else {
                _ = digits(&self)
            }
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
                index += 1
                guard digits(&self) > 0 else { throw error("a digit must follow a decimal point") }
            }
            if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
                index += 1
                if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
                guard digits(&self) > 0 else { throw error("a digit must follow an exponent") }
            }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        }

        /// A string at `index` (its opening quote), unescaped. Text without escapes is taken in one piece.
        mutating func string() throws(JSONReadError) -> String {
            let start = index
            index += 1
            let first = index
            var ascii = true
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
                if byte >= 0x80 { ascii = false }
                index += 1
            }
            guard index < bytes.count else { throw error("a string is not closed", at: start) }
            if bytes[index] == UInt8(ascii: "\"") {
                index += 1
                let piece = UnsafeBufferPointer(rebasing: bytes[first..<(index - 1)])
                return ascii ? String(decoding: piece, as: UTF8.self) : try validated(Array(piece), at: first)
            }
            var text = Array(UnsafeBufferPointer(rebasing: bytes[first..<index]))
            while true {
                guard index < bytes.count else { throw error("a string is not closed", at: start) }
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    // After an escape the text no longer lines up with the body: the string's own offset is named.
                    return ascii ? String(decoding: text, as: UTF8.self) : try validated(text, at: start, escaped: true)
                case UInt8(ascii: "\\"):
                    try escape(into: &text)
                case 0..<0x20:
                    throw error("a control character (byte 0x\(String(byte, radix: 16, uppercase: true))) must be escaped in a string")
                default:
                    if byte >= 0x80 { ascii = false }
                    text.append(byte)
                    index += 1
                }
            }
        }

        /// `text` as a string; refused at its first byte that is not UTF-8 (`text` starts at
        /// `offset` of the body), or at the string when `escaped`.
        func validated(_ text: [UInt8], at offset: Int, escaped: Bool = false) throws(JSONReadError) -> String {
            guard let string = String(validating: text, as: UTF8.self) else {
                if escaped { throw error("the string is not valid UTF-8", at: offset) }
                let bad = offset + (ReferenceTable.firstInvalidUTF8(text) ?? 0)
                throw error("byte 0x" + String(bytes[bad], radix: 16, uppercase: true) + " is not UTF-8", at: bad)
            }
            return string
        }

        /// An escape at `index` (its backslash), appended to `text` as UTF-8.
        mutating func escape(into text: inout [UInt8]) throws(JSONReadError) {
            guard index + 1 < bytes.count else { throw error("a string is not closed") }
            let simple: UInt8?
            switch bytes[index + 1] {
            case UInt8(ascii: "\""): simple = 0x22
            case UInt8(ascii: "\\"): simple = 0x5C
            case UInt8(ascii: "/"): simple = 0x2F
            case UInt8(ascii: "b"): simple = 0x08
            case UInt8(ascii: "f"): simple = 0x0C
            case UInt8(ascii: "n"): simple = 0x0A
            case UInt8(ascii: "r"): simple = 0x0D
            case UInt8(ascii: "t"): simple = 0x09
            case UInt8(ascii: "u"): simple = nil
            default: throw error("\\\(Self.describe(bytes[index + 1])) is not an escape")
            }
            if let simple {
                text.append(simple)
                index += 2
                return
            }
            let at = index
            var scalar = try hexUnit()
            if (0xD800...0xDBFF).contains(scalar) {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw error("a high surrogate must be followed by a low one", at: at)
                }
                let low = try hexUnit()
                guard (0xDC00...0xDFFF).contains(low) else { throw error("a high surrogate must be followed by a low one", at: at) }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            } else if (0xDC00...0xDFFF).contains(scalar) {
                throw error("a low surrogate without a high one", at: at)
            } else if scalar == 0 {
                // SQLite would end the text there and PostgreSQL refuses it: never stored, so never read.
                throw error("\\u0000 (NUL) is not accepted in text", at: at)
            }
            text.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
        }

        /// `\uXXXX` at `index`: its value.
        mutating func hexUnit() throws(JSONReadError) -> UInt32 {
            guard index + 6 <= bytes.count else { throw error("\\u needs four hexadecimal digits") }
            var value: UInt32 = 0
            for offset in 2..<6 {
                let byte = bytes[index + offset]
                let digit: UInt32
                switch byte {
                case 0x30...0x39: digit = UInt32(byte - 0x30)
                case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
                case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
                default: throw error("\\u needs four hexadecimal digits")
                }
                value = value << 4 | digit
            }
            index += 6
            return value
        }
    }
}

extension InputIssue {
    /// A `\u0000` escape inside a string of JSON `bytes`, as the issue to refuse it with, or nil.
    /// Bodies read with Foundation's decoder are checked with it first, as ``JSONReader`` refuses
    /// the escape itself: SQLite would end the text there and PostgreSQL refuses it.
    public static func escapedNul(in bytes: [UInt8], file: String?) -> InputIssue? {
        var inString = false, index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                inString.toggle()
            } else if inString, byte == UInt8(ascii: "\\"), index + 1 < bytes.count {
                if bytes[index + 1] == UInt8(ascii: "u"), index + 6 <= bytes.count, bytes[(index + 2)..<(index + 6)].allSatisfy({ $0 == 0x30 }) {
                    return InputIssue(InputLocation(file: file), reason: "holds \\u0000 (NUL) at byte \(index + 1), which is not accepted in text")
                }
                index += 1
            }
            index += 1
        }
        return nil
    }
}
