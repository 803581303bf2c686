import CarbonKit
import CityProgramme
import Foundation

/// A language of the pages. A language is only a file: `Resources/i18n/<tag>.json` holds its
/// strings and, under `locale.*` keys, its name and how it writes numbers, dates and money.
/// Dropping a file there adds the language to every page's switch; nothing in code names it
/// except the two the platform was written for, which the demo's content carries.
package struct Language: Hashable, Sendable, CustomStringConvertible {
    /// The file's name: a BCP 47 tag, also the page's `lang` and the `?lang=` value.
    package let rawValue: String

    package static let en = Language(tag: "en")
    package static let zhHans = Language(tag: "zh-Hans")

    private init(tag: String) { rawValue = tag }

    /// The language of a tag that has a file; nil for any other.
    package init?(rawValue: String) {
        guard Localizer.tables[rawValue] != nil else { return nil }
        self.rawValue = rawValue
    }

    /// Every language with a file, English first, then by tag.
    package static var allCases: [Language] {
        Localizer.tables.keys.sorted { ($0 == "en" ? "" : $0) < ($1 == "en" ? "" : $1) }.map(Language.init(tag:))
    }

    package var htmlCode: String { rawValue }
    package var description: String { rawValue }

    /// The language whose primary subtag (`zh`, `fi`) matches a tag a browser sends (`zh-CN`, `fi-FI`).
    package static func matching(_ browserTag: String) -> Language? {
        let primary = browserTag.split(separator: "-").first.map { $0.lowercased() } ?? ""
        return allCases.first { $0.rawValue.lowercased() == browserTag.lowercased() }
            ?? allCases.first { $0.rawValue.split(separator: "-").first?.lowercased() == primary }
    }
}

package struct Localizer: Sendable {
    package let language: Language
    package let strings: [String: String]

    /// Every language file, by tag.
    static let tables: [String: [String: String]] = {
        var tables: [String: [String: String]] = [:]
        // The folder of the English file, which every build has; each JSON file beside it is a language.
        guard let folder = Bundle.module.url(forResource: "en", withExtension: "json", subdirectory: "Resources/i18n")?.deletingLastPathComponent(),
              let files = try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil) else { return tables }
        for url in files where url.pathExtension == "json" {
            if let data = FileManager.default.contents(atPath: url.path),
               let table = try? JSONSerialization.jsonObject(with: data) as? [String: String] {
                tables[url.deletingPathExtension().lastPathComponent] = table
            }
        }
        return tables
    }()

    package init(_ language: Language) {
        self.language = language
        self.strings = Self.tables[language.rawValue] ?? [:]
    }

    /// The language's own name, as its switch link shows it ("中文", "Suomi").
    package var languageName: String { strings["locale.name"] ?? language.rawValue }

    /// The string for `key` with `{name}` placeholders filled; the key itself when missing, so a gap shows.
    package func callAsFunction(_ key: String, _ values: [String: String] = [:]) -> String {
        var text = strings[key] ?? Self.tables["en"]?[key] ?? key
        for (name, value) in values { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }

    /// Text the platform wrote, in this language: its key's message with each argument said the
    /// same way; a literal, or a key this language lacks, as written.
    package func phrase(_ p: Phrase) -> String {
        if let number = p.number { return self.number(number, decimals: p.decimals ?? 0) }
        guard !p.key.isEmpty, strings[p.key] != nil || Self.tables["en"]?[p.key] != nil else { return p.english }
        return self(p.key, p.arguments.mapValues { phrase($0) })
    }

    /// A number with `decimals` decimals and grouped thousands, with the language's separators
    /// (`locale.groupSeparator`, `locale.decimalSeparator`): 1,234.5 or 1 234,5.
    package func number(_ x: Double, decimals: Int) -> String {
        let plain = GroupedNumber.format(x, decimals: decimals, minus: "−")
        let group = strings["locale.groupSeparator"] ?? ",", point = strings["locale.decimalSeparator"] ?? "."
        guard group != "," || point != "." else { return plain }
        return plain.map { $0 == "," ? group : $0 == "." ? point : String($0) }.joined()
    }

    /// A count of whole units exactly, grouped as ``number(_:decimals:)`` groups: registry
    /// balances run to 19 digits, more than a `Double` holds.
    package func whole(_ n: Int64) -> String {
        let digits = String(n.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped += strings["locale.groupSeparator"] ?? "," }
            grouped.append(digit)
        }
        return (n < 0 ? "−" : "") + grouped
    }

    /// A money unit as the language writes it (`locale.money` with `locale.scale.<n>` and
    /// `locale.money.currency.<code>`): `10^4 CNY` is "10,000 CNY" and "万元".
    package func money(_ unit: String) -> String {
        guard let money = MoneyUnit(unit) else { return unit }
        let scaleKey = "locale.scale.\(money.scale < 1e15 ? String(Int(money.scale)) : String(money.scale))"
        let scale = strings[scaleKey] ?? (money.scale == 1 ? "" : number(money.scale, decimals: 0))
        let currency = strings["locale.money.currency.\(money.currency)"] ?? money.currency
        let text = self("locale.money", ["scale": scale, "currency": currency])
        return text.trimmingCharacters(in: .whitespaces)
    }

    /// A part of a whole (0…1) as a percentage without a sign: "8.0 %".
    package func share(_ x: Double) -> String { number(x * 100, decimals: 1) + " %" }

    /// A change (−0.12 is 12 % less) as a signed percentage: "+3.1 %", "−12.0 %".
    package func percent(_ x: Double) -> String {
        (x > 0 ? "+" : "") + number(x * 100, decimals: 1).replacingOccurrences(of: "−", with: x < 0 ? "−" : "") + " %"
    }

    /// An ISO-8601 timestamp as a date in the language's form (`locale.date`, with month names
    /// from `locale.months` where it uses them): "22 Nov 2026", "2026年11月22日", "22.11.2026".
    /// An ISO-8601 timestamp as its date in the language's form and its time of day in UTC:
    /// "6 Dec 2026, 08:09 UTC". A value that is not a timestamp is shown as it is.
    package func date(_ day: Day) -> String { date(day.description) }

    package func dateTime(_ iso: String) -> String {
        guard let date = ISO8601DateFormatter().date(from: iso) else { return iso }
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
        return self("locale.dateTime", ["date": self.date(iso), "time": String(format: "%02d:%02d", c.hour!, c.minute!)])
    }

    package func date(_ iso: String) -> String {
        // A day alone ("2026-12-06") is that day; a timestamp is its day in UTC.
        let timestamp = iso.count == 10 ? iso + "T00:00:00Z" : iso
        guard let date = ISO8601DateFormatter().date(from: timestamp) else { return iso }
        let c = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: date)
        let months = (strings["locale.months"] ?? "").split(separator: ",").map(String.init)
        let monthName = months.count == 12 ? months[c.month! - 1] : String(c.month!)
        return self("locale.date", ["day": String(c.day!), "month": String(c.month!), "monthName": monthName, "year": String(c.year!)])
    }
}
