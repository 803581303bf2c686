import Foundation

/// The first key that appears twice in one object of a JSON text, as a path (`events[3].serial`).
/// Parsers disagree on such a text (Foundation keeps the last, others the first or refuse), so a
/// signed body that means two things is refused rather than read one way. Keys are compared
/// after unescaping, so `"\u0073erial"` repeats `"serial"`. Expects JSON a parser has accepted.
public enum JSONDuplicateKeys {
    public static func first(in data: Data) -> String? {
        data.withUnsafeBytes { raw in
            var scanner = Scanner(bytes: raw.bindMemory(to: UInt8.self))
            return scanner.value(path: "")
        }
    }

    struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        /// Nesting deeper than this is not followed (a parser that accepted it has its own limit).
        static let maximumDepth = 512
        var depth = 0
        /// Set when the scan cannot go on (too deep, or a value that does not move it on): it stops, finding nothing.
        var stopped = false

        mutating func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        /// Scans one value; the path of the first duplicate key inside it.
        mutating func value(path: String) -> String? {
            skipSpace()
            guard !stopped, index < bytes.count else { return nil }
            guard depth < Self.maximumDepth else { stopped = true; return nil }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                depth += 1
                defer { depth -= 1 }
                var keys = Set<String>()
                while !stopped {
                    skipSpace()
                    guard index < bytes.count else { return nil }
                    if bytes[index] == UInt8(ascii: "}") { index += 1; return nil }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    guard bytes[index] == UInt8(ascii: "\"") else { return nil }
                    let key = string()
                    let place = path.isEmpty ? key : path + "." + key
                    if !keys.insert(key).inserted { return place }
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
                    index += 1
                    let before = index
                    if let found = value(path: place) { return found }
                    if index == before { stopped = true }
                }
                return nil
            case UInt8(ascii: "["):
                index += 1
                depth += 1
                defer { depth -= 1 }
                var element = 0
                while !stopped {
                    skipSpace()
                    guard index < bytes.count else { return nil }
                    if bytes[index] == UInt8(ascii: "]") { index += 1; return nil }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; element += 1; continue }
                    let before = index
                    if let found = value(path: "\(path)[\(element)]") { return found }
                    if index == before { stopped = true }
                }
                return nil
            case UInt8(ascii: "\""):
                _ = string()
                return nil
            default:
                // A number or a literal: up to the next delimiter.
                while index < bytes.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) {
                    index += 1
                }
                return nil
            }
        }

        /// Reads a string at `index` (on its opening quote), unescaped.
        mutating func string() -> String {
            index += 1
            var text: [UInt8] = []
            var units: [UInt16] = []
            func flushUnits() {
                if !units.isEmpty { text += Array(String(decoding: units, as: UTF16.self).utf8); units = [] }
            }
            while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
                if bytes[index] == UInt8(ascii: "\\"), index + 1 < bytes.count {
                    let escaped = bytes[index + 1]
                    if escaped == UInt8(ascii: "u"), index + 5 < bytes.count,
                       let unit = UInt16(String(decoding: bytes[(index + 2)...(index + 5)], as: UTF8.self), radix: 16) {
                        units.append(unit)
                        index += 6
                        continue
                    }
                    flushUnits()
                    let map: [UInt8: UInt8] = [UInt8(ascii: "n"): 0x0A, UInt8(ascii: "t"): 0x09, UInt8(ascii: "r"): 0x0D,
                                               UInt8(ascii: "b"): 0x08, UInt8(ascii: "f"): 0x0C]
                    text.append(map[escaped] ?? escaped)
                    index += 2
                    continue
                }
                flushUnits()
                text.append(bytes[index])
                index += 1
            }
            flushUnits()
            index += 1
            return String(decoding: text, as: UTF8.self)
        }
    }
}
