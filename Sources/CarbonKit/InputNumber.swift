import Foundation

/// Numbers typed by someone outside — query parameters, form fields, command options — checked
/// against the range their field can hold before any arithmetic meets them, so that
/// `?offset=9223372036854775807` is a clear 4xx rather than an overflow that stops the process.
public enum InputNumber {
    /// A whole number in `range`, or an issue naming the field and the range.
    public static func integer(_ text: some StringProtocol, field: String, in range: ClosedRange<Int>) throws(InputIssue) -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let n = Int(trimmed), range.contains(n) else {
            throw InputIssue(InputLocation(field: field), value: String(text),
                             reason: "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return n
    }

    /// A decimal number typed into a form, read one way everywhere: a point for decimals,
    /// commas (or spaces) only between groups of three digits (`1,250,000.5`), an optional
    /// sign (`-`, `+`, `−`) and exponent; full-width digits from a Chinese input method are
    /// read as digits. What could mean two things is refused rather than guessed: `1,5`
    /// (1.5 or 15?), `1.250,5` (a comma for decimals), and anything not finite.
    public static func decimal(_ text: some StringProtocol, field: String, in range: ClosedRange<Double>? = nil) throws(InputIssue) -> Double {
        func refuse(_ reason: String) -> InputIssue {
            InputIssue(InputLocation(field: field), value: String(text), reason: reason, suggestion: "a number with a point for decimals, e.g. 1250000 or 1,250,000.5")
        }
        var ascii = ""
        for scalar in String(text).unicodeScalars {
            switch scalar.value {
            case 0xFF10...0xFF19: ascii.unicodeScalars.append(Unicode.Scalar(scalar.value - 0xFF10 + 0x30)!)   // ０–９
            case 0xFF0E: ascii += "."
            case 0xFF0C: ascii += ","
            case 0x2212, 0xFF0D: ascii += "-"   // − and －
            case 0xFF0B: ascii += "+"
            case 0x20, 0xA0, 0x2009, 0x202F, 0x3000: ascii += " "
            default: ascii.unicodeScalars.append(scalar)
            }
        }
        ascii = ascii.trimmingCharacters(in: .whitespaces)
        guard !ascii.isEmpty else { throw refuse("is empty") }
        var body = Substring(ascii)
        var sign = ""
        if let first = body.first, first == "-" || first == "+" { sign = String(first); body = body.dropFirst() }
        var exponent = ""
        if let e = body.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = String(body[e...])
            body = body[..<e]
            guard exponent.count > 1, exponent.dropFirst().enumerated().allSatisfy({ i, c in c.isASCII && (c.isNumber || (i == 0 && (c == "-" || c == "+"))) }),
                  exponent.dropFirst().contains(where: \.isNumber) else { throw refuse("is not a number") }
        }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw refuse("has more than one decimal point") }
        let whole = parts[0], fraction = parts.count == 2 ? parts[1] : ""
        guard fraction.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw refuse(fraction.contains(",") ? "uses a comma after the decimal point: write decimals with a point only" : "is not a number")
        }
        let separators: Set<Character> = [",", " "]
        var digits = String(whole)
        if whole.contains(where: separators.contains) {
            let groups = whole.split(whereSeparator: separators.contains).map(String.init)
            let separatorsUsed = Set(whole.filter(separators.contains))
            guard separatorsUsed.count == 1, !groups.isEmpty, !whole.hasPrefix(","), !whole.hasSuffix(","),
                  groups.count == whole.filter(separators.contains).count + 1,
                  (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }) else {
                throw refuse(whole.contains(",") ? "is ambiguous: a comma here could be a decimal comma or a thousands separator" : "is not a number")
            }
            digits = groups.joined()
        }
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }), !(digits.isEmpty && fraction.isEmpty) else { throw refuse("is not a number") }
        guard let value = Double(sign + (digits.isEmpty ? "0" : digits) + (fraction.isEmpty ? "" : "." + fraction) + exponent), value.isFinite else {
            throw refuse("is not a finite number")
        }
        if let range, !range.contains(value) {
            throw InputIssue(InputLocation(field: field), value: String(text), reason: "must be from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }
}
