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
}
