/// Text the platform writes itself ("published inventory 2023 ÷ population …"), kept as a
/// message key with its arguments so that each page can say it in its reader's language.
/// `english` is the same text for readers of one language: the API, the CLI, the audit trail.
/// Arguments are phrases too, so a generated part inside another ("the sum of the 8
/// jurisdictions below Demo City") is translated with it, and a city's own text (a
/// statistics source it typed) passes through as a ``literal(_:)``.
public struct Phrase: Sendable, Hashable {
    /// The message's key in the page language files; empty for a literal.
    public var key: String
    public var arguments: [String: Phrase]
    public var english: String

    public init(key: String, arguments: [String: Phrase] = [:], english: String) {
        self.key = key
        self.arguments = arguments
        self.english = english
    }

    /// Text that is already what the reader should see, in whatever language it was written.
    public static func literal(_ text: String) -> Phrase { Phrase(key: "", english: text) }

    /// A number or year: the same in every language.
    public static func number(_ value: Int) -> Phrase { .literal(String(value)) }
}
