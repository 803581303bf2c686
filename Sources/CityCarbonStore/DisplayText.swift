import CarbonKit

/// A name people give (an account's display name, an organisation, an API key's name) as text
/// every page can show: not too long for a table cell, and without control or invisible
/// formatting characters — a right-to-left override shows "gnp.exe" as "exe.png", a zero-width
/// space makes two names that look the same differ.
enum DisplayText {
    static func issues(_ value: String?, field: String, maximum: Int) -> [InputIssue] {
        guard let value else { return [] }
        var issues: [InputIssue] = []
        if value.count > maximum {
            issues.append(InputIssue(InputLocation(field: field), value: String(value.prefix(64)) + "…",
                                     reason: "is \(value.count) characters long", suggestion: "at most \(maximum)"))
        }
        if let hidden = value.unicodeScalars.first(where: { [.control, .format, .lineSeparator, .paragraphSeparator].contains($0.properties.generalCategory) }) {
            issues.append(InputIssue(InputLocation(field: field), value: String(value.prefix(64)),
                                     reason: "holds the invisible character U+\(String(hidden.value, radix: 16, uppercase: true))",
                                     suggestion: "type the name without it"))
        }
        return issues
    }
}
