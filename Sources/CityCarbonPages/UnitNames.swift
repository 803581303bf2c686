import CityProgramme

extension Localizer {
    /// A unit as the page's language writes it. Units are stored the way the data files give
    /// them (`t CO2e per 10^4 CNY`, `10^4 mu`, `% vs 2020`); a reader sees "t CO2e per 10,000
    /// CNY", "吨二氧化碳当量/万元", "万亩". A unit the language file does not know is shown as stored.
    package func unit(_ stored: String) -> String {
        let text = stored.trimmingCharacters(in: .whitespaces)
        if text == "t CO2e" { return self("unit.t") }
        if text.hasPrefix("t CO2e per ") {
            let per = String(text.dropFirst("t CO2e per ".count))
            if per == "person" { return self("unit.tPerPerson") }
            return self("unit.tper", ["unit": unit(per)])
        }
        if text.hasPrefix("% vs "), let year = Int(text.dropFirst("% vs ".count)) { return self("unit.percentVs", ["year": String(year)]) }
        if let money = MoneyUnit(text.replacingOccurrences(of: "yuan", with: "CNY")) { return self.money("\(power(money.scale)) \(money.currency)") }
        // A count of a physical unit, scaled by a power of ten: `10^4 kW`.
        let words = text.split(separator: " ", maxSplits: 1).map(String.init)
        if words.count == 2, let scale = Self.powers[words[0]], let name = strings["unit.name.\(words[1])"] ?? Self.englishName(words[1]) {
            let word = strings["locale.scale.\(Int(scale))"] ?? number(scale, decimals: 0)
            return self("locale.quantity", ["scale": word, "unit": name]).trimmingCharacters(in: .whitespaces)
        }
        return strings["unit.name.\(text)"] ?? stored
    }

    private static let powers: [String: Double] = ["10^3": 1e3, "10^4": 1e4, "10^6": 1e6, "10^8": 1e8, "10^9": 1e9]

    private static func englishName(_ unit: String) -> String? { Localizer(.en).strings["unit.name.\(unit)"] }

    private func power(_ scale: Double) -> String {
        scale == 1 ? "" : Self.powers.first { $0.value == scale }?.key ?? ""
    }
}
