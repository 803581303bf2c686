import CarbonKit
import CityProgramme
import Foundation

/// The languages of the web pages, with their strings (`Resources/i18n/*.json`) and their
/// number and date conventions.
package enum Language: String, CaseIterable, Sendable {
    case en
    case zhHans = "zh-Hans"

    package var htmlCode: String { self == .en ? "en" : "zh-Hans" }
    package var other: Language { self == .en ? .zhHans : .en }
}

package struct Localizer: Sendable {
    package let language: Language
    package let strings: [String: String]

    private static let tables: [Language: [String: String]] = {
        var tables: [Language: [String: String]] = [:]
        for language in Language.allCases {
            if let url = Bundle.module.url(forResource: language.rawValue, withExtension: "json", subdirectory: "Resources/i18n"),
               let data = FileManager.default.contents(atPath: url.path),
               let table = try? JSONSerialization.jsonObject(with: data) as? [String: String] {
                tables[language] = table
            }
        }
        return tables
    }()

    package init(_ language: Language) {
        self.language = language
        self.strings = Self.tables[language] ?? [:]
    }

    /// The string for `key` with `{name}` placeholders filled; the key itself when missing, so a gap shows.
    package func callAsFunction(_ key: String, _ values: [String: String] = [:]) -> String {
        var text = strings[key] ?? Self.tables[.en]?[key] ?? key
        for (name, value) in values { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }

    /// Text the platform wrote, in this language: its key's message with each argument said the
    /// same way; a literal, or a key this language lacks, as written.
    package func phrase(_ p: Phrase) -> String {
        guard !p.key.isEmpty, strings[p.key] != nil || Self.tables[.en]?[p.key] != nil else { return p.english }
        return self(p.key, p.arguments.mapValues { phrase($0) })
    }

    /// A number with `decimals` decimals and grouped thousands, as both languages write them.
    package func number(_ x: Double, decimals: Int) -> String {
        GroupedNumber.format(x, decimals: decimals, minus: "−")
    }

    /// A money unit as the language writes it: `10^4 CNY` is "10,000 CNY" and "万元".
    package func money(_ unit: String) -> String {
        guard let money = MoneyUnit(unit) else { return unit }
        switch language {
        case .en:
            return (money.scale == 1 ? "" : number(money.scale, decimals: 0) + " ") + money.currency
        case .zhHans:
            let scale = [1: "", 1e3: "千", 1e4: "万", 1e6: "百万", 1e8: "亿", 1e9: "十亿"][money.scale] ?? number(money.scale, decimals: 0)
            let currency = ["CNY": "元", "EUR": "欧元", "USD": "美元", "HKD": "港元", "JPY": "日元", "GBP": "英镑"][money.currency] ?? " " + money.currency
            return scale + currency
        }
    }

    package func percent(_ x: Double) -> String {
        (x > 0 ? "+" : "") + number(x * 100, decimals: 1).replacingOccurrences(of: "−", with: x < 0 ? "−" : "") + " %"
    }

    /// An ISO-8601 timestamp as a date: "22 Nov 2026" or "2026年11月22日".
    package func date(_ iso: String) -> String {
        guard let date = ISO8601DateFormatter().date(from: iso) else { return iso }
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        switch language {
        case .en: return "\(c.day!) \(months[c.month! - 1]) \(c.year!)"
        case .zhHans: return "\(c.year!)年\(c.month!)月\(c.day!)日"
        }
    }
}
