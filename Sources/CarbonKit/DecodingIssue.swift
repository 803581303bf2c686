import Foundation

/// A JSON decoding error as the field it is about (`measures[2].ramp.start`), the way every
/// other input of CityCarbon reports its problems.
extension InputIssue {
    public init(_ error: DecodingError, file: String?, subject: String) {
        self = Self.issue(error, file: file, subject: subject)
    }

    private static func issue(_ error: DecodingError, file: String?, subject: String) -> InputIssue {
        func path(_ keys: [CodingKey]) -> String {
            var text = ""
            for key in keys {
                if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
            }
            return text
        }
        switch error {
        case let .keyNotFound(key, context):
            let field = path(context.codingPath + [key])
            return InputIssue(InputLocation(file: file, field: field), reason: "is required")
        case let .typeMismatch(type, context):
            return InputIssue(InputLocation(file: file, field: path(context.codingPath)), reason: "should be \(describe(type))")
        case let .valueNotFound(type, context):
            return InputIssue(InputLocation(file: file, field: path(context.codingPath)), reason: "should be \(describe(type)), not null")
        case let .dataCorrupted(context):
            let reason = context.codingPath.isEmpty ? "is not valid JSON" : context.debugDescription
            let detail = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            let last = context.codingPath.last?.stringValue
            return InputIssue(InputLocation(file: file, field: context.codingPath.isEmpty ? nil : path(context.codingPath)),
                              value: last.flatMap { enumValue(context.debugDescription, $0) },
                              reason: context.codingPath.isEmpty ? reason + (detail.map { " (\($0))" } ?? "") : reason)
        @unknown default:
            return InputIssue(InputLocation(file: file), reason: "is not \(subject)")
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is Double.Type, is Int.Type, is UInt64.Type: "a number"
        case is String.Type: "text"
        case is Bool.Type: "true or false"
        default: "\(type)".hasPrefix("Array") ? "a list" : "an object"
        }
    }

    private static func enumValue(_ description: String, _ key: String) -> String? {
        // "Cannot initialize Kind from invalid String value electrify"
        guard let range = description.range(of: "invalid String value ") else { return nil }
        return String(description[range.upperBound...])
    }
}
