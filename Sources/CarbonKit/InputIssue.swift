/// Where in some input a problem sits: file, row, column and the field's name.
///
/// Rows are the physical line numbers of the file, so the header of a CSV is row 1 and
/// the first data row is row 2, as a spreadsheet shows them.
public struct InputLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    public var file: String?
    public var row: Int?
    /// 1-based column number.
    public var column: Int?
    /// The column's header, or the field's name in a JSON body.
    public var field: String?

    public init(file: String? = nil, row: Int? = nil, column: Int? = nil, field: String? = nil) {
        self.file = file
        self.row = row
        self.column = column
        self.field = field
    }

    public var description: String {
        var parts: [String] = []
        if let file { parts.append(file) }
        if let row { parts.append("row \(row)") }
        switch (column, field) {
        case let (c?, f?): parts.append("column \(c) (\(f))")
        case let (c?, nil): parts.append("column \(c)")
        case let (nil, f?): parts.append("field \(f)")
        default: break
        }
        return parts.joined(separator: ", ")
    }
}

/// One thing wrong with an input, with enough context for a person to fix it.
public struct InputIssue: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    public var location: InputLocation
    /// The offending value as written, if there is one.
    public var value: String?
    public var reason: String
    /// What was probably meant ("did you mean `natural_gas`?"), when something fits.
    public var suggestion: String?

    public init(_ location: InputLocation, value: String? = nil, reason: String, suggestion: String? = nil) {
        self.location = location
        self.value = value
        self.reason = reason
        self.suggestion = suggestion
    }

    public var description: String {
        var text = location.description
        if let value { text += (text.isEmpty ? "" : ": ") + "'\(value)'" }
        text += (text.isEmpty ? "" : ": ") + reason
        if let suggestion { text += " (\(suggestion))" }
        return text
    }
}

/// Every problem found in one input. Thrown instead of the first problem alone, so a
/// person can fix a file in one pass.
public struct InputErrors: Error, Sendable, CustomStringConvertible {
    public var issues: [InputIssue]

    public init(_ issues: [InputIssue]) { self.issues = issues }

    public var description: String {
        let lines = issues.map { "  " + $0.description }
        return "\(issues.count) error\(issues.count == 1 ? "" : "s"):\n" + lines.joined(separator: "\n")
    }
}
