/// Text the platform writes itself ("published inventory 2023 ÷ population …"), kept as a
/// message key with its arguments so that each page can say it in its reader's language.
/// `english` is the same text for readers of one language: the API, the CLI, the audit trail.
/// Arguments are phrases too, so a generated part inside another ("the sum of the 8
/// jurisdictions below Demo City") is translated with it, a city's own text (a statistics
/// source it typed) passes through as a ``literal(_:)``, and a ``quantity(_:decimals:)`` is
/// written with each language's digit grouping and decimal mark.
public struct Phrase: Sendable, Hashable, Codable {
    /// The message's key in the page language files; empty for a literal or a quantity.
    public var key: String
    public var arguments: [String: Phrase]
    public var english: String
    /// The number a quantity says, and its decimals.
    public var number: Double?
    public var decimals: Int?

    public init(key: String, arguments: [String: Phrase] = [:], english: String) {
        self.key = key
        self.arguments = arguments
        self.english = english
    }

    /// Text that is already what the reader should see, in whatever language it was written.
    public static func literal(_ text: String) -> Phrase { Phrase(key: "", english: text) }

    /// A year or a count: the same digits in every language.
    public static func number(_ value: Int) -> Phrase { .literal(String(value)) }

    /// A measured amount, grouped as each language groups digits ("3,266,167", "3 266 167").
    public static func quantity(_ value: Double, decimals: Int) -> Phrase {
        var phrase = Phrase.literal(GroupedNumber.format(value, decimals: decimals, minus: "−"))
        phrase.number = value
        phrase.decimals = decimals
        return phrase
    }
}
