import CarbonKit

/// The city's settings, in one place: what every computation reads instead of assuming —
/// its names, its clock, its money, its GWP set, the factor set that prices fuels (per fuel
/// where it differs), the grid series that prices electricity, the inventory level of its
/// headline figures and how its energy statistics count electricity.
public struct CitySettings: Sendable, Equatable, Codable {
    /// The city's name by language (`en`, `zh-Hans`).
    public var names: [String: String]
    /// Minutes east of UTC (480 for China, 120 for Helsinki in winter).
    public var utcOffsetMinutes: Int
    /// ISO 4217 code of the currency its GDP is stated in.
    public var currency: String
    /// The base year of its constant prices, when its statistics give them.
    public var priceBaseYear: Int?
    /// The GWP set inventories are computed with when a year was never computed (AR5, AR6 …).
    public var gwp: String
    /// The factor set that prices a fuel where an activity row names none: an imported row is
    /// stored with the set it was priced with (so a change never reprices stored rows or a
    /// published year); monitoring and scenarios' base years use it too.
    public var factorSet: String
    /// Fuels priced by another set than `factorSet`.
    public var factorSetByFuel: [String: String]
    /// The grid series (`grid.csv`) whose annual factors price electricity.
    public var gridSeries: String
    public var headlineLevel: HeadlineLevel
    public var energyMethod: JurisdictionStatistic.EnergyMethod

    /// The city's name in `language` ("en", "zh-Hans"), else its name in English, else `fallback`
    /// (the jurisdiction at the top of the tree): every page that names the city asks here.
    public func name(in language: String, fallback: String) -> String {
        names[language].flatMap { $0.isEmpty ? nil : $0 } ?? names["en"].flatMap { $0.isEmpty ? nil : $0 } ?? fallback
    }

    public init(names: [String: String] = [:], utcOffsetMinutes: Int, currency: String, priceBaseYear: Int? = nil, gwp: String,
                factorSet: String, factorSetByFuel: [String: String] = [:], gridSeries: String, headlineLevel: HeadlineLevel = .standard,
                energyMethod: JurisdictionStatistic.EnergyMethod = .equivalent) {
        (self.names, self.utcOffsetMinutes, self.currency, self.priceBaseYear, self.gwp) = (names, utcOffsetMinutes, currency, priceBaseYear, gwp)
        (self.factorSet, self.factorSetByFuel, self.gridSeries, self.headlineLevel, self.energyMethod)
            = (factorSet, factorSetByFuel, gridSeries, headlineLevel, energyMethod)
    }

    /// A new workspace's settings: a Chinese city's (UTC+8, CNY, the national grid series,
    /// electricity by the coal-equivalent method as China's energy statistics count it),
    /// with IPCC 2006 Tier 1 factors until the city names its province's set, AR5 as
    /// China's national inventory reporting uses.
    public static let standard = CitySettings(utcOffsetMinutes: 480, currency: "CNY", gwp: "AR5", factorSet: "IPCC2006", gridSeries: "cn_national")

    /// The set that prices `fuel`.
    public func factorSet(for fuel: String) -> String { factorSetByFuel[fuel] ?? factorSet }

    /// The keys `set(_:_:choices:)` takes, for help texts and forms.
    public static let keys = ["name.<language>", "utc_offset", "currency", "price_base_year", "gwp", "factor_set", "factor_set.<fuel>",
                              "grid_series", "headline_level", "energy_method"]

    /// What a setting may be, from the workspace: the GWP sets, factor sets, grid series and
    /// fuels it knows.
    public struct Choices: Sendable {
        public var gwpSets: [String], factorSets: [String], gridSeries: [String], fuels: [String]
        public init(gwpSets: [String], factorSets: [String], gridSeries: [String], fuels: [String]) {
            (self.gwpSets, self.factorSets, self.gridSeries, self.fuels) = (gwpSets, factorSets, gridSeries, fuels)
        }
    }

    /// Sets `key` to `value` (an empty value clears an optional one), or says what is wrong
    /// naming the key and the value, and changes nothing.
    public mutating func set(_ key: String, _ value: String, choices: Choices) throws(InputIssue) {
        let value = value.trimmingCharacters(in: .whitespaces)
        func refuse(_ reason: String, _ suggestion: String? = nil) -> InputIssue {
            InputIssue(InputLocation(field: key), value: value, reason: reason, suggestion: suggestion)
        }
        func among(_ options: [String]) throws(InputIssue) -> String {
            guard options.contains(value) else { throw refuse("is not one this workspace knows", Suggestion.didYouMean(value, among: options) ?? options.sorted().prefix(12).joined(separator: ", ")) }
            return value
        }
        switch key {
        case let k where k.hasPrefix("name."):
            let language = String(k.dropFirst(5))
            guard ["en", "zh-Hans"].contains(language) else { throw refuse("is not a language of the pages", "name.en or name.zh-Hans") }
            guard value.count <= 200, !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw refuse("is not a name (at most 200 characters, no control characters)")
            }
            names[language] = value.isEmpty ? nil : value
        case "utc_offset":
            guard let minutes = Self.offsetMinutes(value) else { throw refuse("is not a UTC offset", "+08:00, -05:00, +05:45") }
            utcOffsetMinutes = minutes
        case "currency":
            guard value.count == 3, value.allSatisfy({ $0.isASCII && $0.isUppercase }) else { throw refuse("is not an ISO 4217 currency code", "CNY, EUR, USD") }
            currency = value
        case "price_base_year":
            if value.isEmpty { priceBaseYear = nil; return }
            priceBaseYear = try InputNumber.integer(value, field: key, in: 1950...2100)
        case "gwp": gwp = try among(choices.gwpSets)
        case "factor_set": factorSet = try among(choices.factorSets)
        case let k where k.hasPrefix("factor_set."):
            let fuel = String(k.dropFirst(11))
            guard choices.fuels.contains(fuel) else {
                throw InputIssue(InputLocation(field: key), value: fuel, reason: "is not a fuel of the factor library", suggestion: Suggestion.didYouMean(fuel, among: choices.fuels))
            }
            if value.isEmpty { factorSetByFuel[fuel] = nil } else { factorSetByFuel[fuel] = try among(choices.factorSets) }
        case "grid_series": gridSeries = try among(choices.gridSeries)
        case "headline_level":
            guard let level = HeadlineLevel(rawValue: value) else { throw refuse("is not an inventory level", "basic or basic_plus") }
            headlineLevel = level
        case "energy_method":
            guard let method = JurisdictionStatistic.EnergyMethod(rawValue: value) else { throw refuse("is not a way of counting electricity", "equivalent or calorific") }
            energyMethod = method
        default:
            throw InputIssue(InputLocation(field: "key"), value: key, reason: "is not a city setting",
                             suggestion: Suggestion.didYouMean(key, among: Self.keys) ?? Self.keys.joined(separator: ", "))
        }
    }

    /// `+08:00` → 480; `-05:00` → −300; UTC−12:00 to UTC+14:00 in quarter hours.
    static func offsetMinutes(_ text: String) -> Int? {
        let text = text.hasPrefix("UTC") ? String(text.dropFirst(3)) : text
        guard let sign = text.first, sign == "+" || sign == "-" || sign == "−" else { return text == "" || text == "Z" ? 0 : nil }
        let parts = text.dropFirst().split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }), let h = Int(parts[0]), let m = Int(parts[1]),
              m % 15 == 0, m < 60 else { return nil }
        let minutes = (sign == "+" ? 1 : -1) * (h * 60 + m)
        return (-720...840).contains(minutes) ? minutes : nil
    }

    /// `480` → `+08:00`.
    public static func offsetText(_ minutes: Int) -> String {
        let sign = minutes < 0 ? "-" : "+"
        let m = abs(minutes)
        return sign + (m / 60 < 10 ? "0" : "") + "\(m / 60):" + (m % 60 < 10 ? "0" : "") + "\(m % 60)"
    }

    /// Each setting as `key` and its value as text, in `keys` order.
    public var lines: [(key: String, value: String)] {
        names.keys.sorted().map { ("name.\($0)", names[$0]!) } + [
            ("utc_offset", Self.offsetText(utcOffsetMinutes)), ("currency", currency), ("price_base_year", priceBaseYear.map(String.init) ?? ""),
            ("gwp", gwp), ("factor_set", factorSet),
        ] + factorSetByFuel.keys.sorted().map { ("factor_set.\($0)", factorSetByFuel[$0]!) } + [
            ("grid_series", gridSeries), ("headline_level", headlineLevel.rawValue), ("energy_method", energyMethod.rawValue),
        ]
    }
}
