/// A text in several languages (BCP 47 codes: `en`, `zh-Hans`, `fi` …), read with a fallback:
/// the language asked for, then the plan's primary language, then any.
public struct Multilingual: Sendable, Hashable, Codable {
    public var values: [String: String]

    public init(_ values: [String: String] = [:]) {
        self.values = values.filter { !$0.value.isEmpty }
    }

    public subscript(_ language: String) -> String? {
        get { values[language] }
        set { values[language] = newValue?.isEmpty == false ? newValue : nil }
    }

    public func text(_ language: String, fallback: String = "en") -> String {
        values[language] ?? values[fallback] ?? values.sorted { $0.key < $1.key }.first?.value ?? ""
    }

    public var isEmpty: Bool { values.isEmpty }
}
