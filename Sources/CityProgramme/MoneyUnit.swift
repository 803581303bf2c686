/// A money figure's unit as statistics offices write it: a scale and a currency code —
/// `10^8 CNY` (亿元), `10^4 CNY` (万元), `million EUR`, `CNY`. Figures per unit of GDP are
/// stated per 10^4 of the currency, the unit of China's intensity indicators (t/万元).
public struct MoneyUnit: Sendable, Equatable {
    /// Currency units per unit: 1e8 for `10^8 CNY`.
    public var scale: Double
    public var currency: String

    public init?(_ text: String) {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\u{3000}" }).map(String.init)
        guard let code = words.last, code.count == 3, code.allSatisfy({ $0.isASCII && $0.isUppercase }) else { return nil }
        let prefix = words.dropLast().joined(separator: " ").lowercased()
        let scales: [String: Double] = ["": 1, "1": 1, "10^3": 1e3, "thousand": 1e3, "10^4": 1e4, "万": 1e4, "10^6": 1e6, "million": 1e6,
                                        "10^8": 1e8, "亿": 1e8, "10^9": 1e9, "billion": 1e9]
        guard let scale = scales[prefix] else { return nil }
        (self.scale, self.currency) = (scale, code)
    }

    /// The unit per-GDP figures are given in: 10^4 of the same currency.
    public var intensityDenominator: String { "10^4 \(currency)" }
}
