import Foundation

/// A log-linear concentration–response function: relative risk `rr` (interval `rr_low`–`rr_high`)
/// per `per` µg/m³ of a pollutant, from a stated study (`Resources/concentration-response.json`).
public struct ConcentrationResponse: Sendable, Decodable, Equatable {
    public var id: String
    public var pollutant: String
    public var averaging: String
    public var outcome: String
    public var ages: String
    public var rr: Double
    public var rr_low: Double
    public var rr_high: Double
    public var per: Double
    public var source: String

    /// β = ln(RR)/unit for a relative risk of the function's interval.
    public func beta(_ relativeRisk: Double) -> Double { log(relativeRisk) / per }
}

/// The functions the platform ships.
public struct ConcentrationResponses: Sendable, Decodable {
    public var source: String
    public var functions: [ConcentrationResponse]

    public static let shipped: ConcentrationResponses = ShippedData.load("concentration-response")

    public func function(_ id: String) -> ConcentrationResponse? { functions.first { $0.id == id } }
}

/// Cases avoided (or added) by a change in concentration, as AirQ+ and BenMAP-CE compute it:
/// `ΔY = Y0 · Pop · (1 − e^(−β·ΔC))`, with ΔC the reduction (positive when air gets cleaner),
/// Y0 the observed baseline rate and β from the function's relative risk and its interval.
public struct HealthImpact: Sendable, Equatable {
    /// Cases avoided per year with the central relative risk, and with the interval's ends.
    public var central: Double
    public var low: Double
    public var high: Double
    /// The value of the central, low and high cases at the stated value of a statistical life (or case).
    public var value: (central: Double, low: Double, high: Double)?

    public static func == (a: HealthImpact, b: HealthImpact) -> Bool {
        a.central == b.central && a.low == b.low && a.high == b.high && a.value?.central == b.value?.central
            && a.value?.low == b.value?.low && a.value?.high == b.value?.high
    }

    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        case invalid(field: String, value: Double, reason: String)
        public var description: String {
            switch self { case let .invalid(field, value, reason): "\(field) = \(value): \(reason)" }
        }
    }

    /// `baselineRate` is cases per person per year (700 per 100,000 is 0.007); `reduction` is the
    /// fall in concentration in the function's unit (negative when the air gets worse, giving
    /// negative cases avoided); `counterfactual` is a level below which nothing is counted (both
    /// concentrations are taken as at least it, as BenMAP does), given with `from`.
    public static func avoided(_ function: ConcentrationResponse, baselineRate: Double, population: Double, reduction: Double,
                               from concentration: Double? = nil, counterfactual: Double? = nil,
                               valuePerCase: Double? = nil) -> Result<HealthImpact, Refusal> {
        for (field, value) in [("baseline_rate", baselineRate), ("population", population), ("reduction", reduction)] where !value.isFinite {
            return .failure(.invalid(field: field, value: value, reason: "is not a number"))
        }
        guard (0...1).contains(baselineRate) else {
            return .failure(.invalid(field: "baseline_rate", value: baselineRate, reason: "is cases per person per year, from 0 to 1"))
        }
        guard population >= 0 else { return .failure(.invalid(field: "population", value: population, reason: "is negative")) }
        if let valuePerCase, !valuePerCase.isFinite || valuePerCase < 0 {
            return .failure(.invalid(field: "value_per_case", value: valuePerCase, reason: "must be a number not below zero"))
        }
        var delta = reduction
        if let concentration, let counterfactual {
            guard concentration.isFinite, counterfactual.isFinite else {
                return .failure(.invalid(field: "concentration", value: concentration, reason: "is not a number"))
            }
            delta = max(concentration, counterfactual) - max(concentration - reduction, counterfactual)
        }
        func cases(_ rr: Double) -> Double { baselineRate * population * (1 - exp(-function.beta(rr) * delta)) }
        let (central, low, high) = (cases(function.rr), cases(function.rr_low), cases(function.rr_high))
        guard central.isFinite, low.isFinite, high.isFinite else {
            return .failure(.invalid(field: "reduction", value: reduction, reason: "gives no finite number of cases"))
        }
        let value = valuePerCase.map { (central * $0, low * $0, high * $0) }
        return .success(HealthImpact(central: central, low: min(low, high), high: max(low, high),
                                     value: value.map { (central: $0.0, low: min($0.1, $0.2), high: max($0.1, $0.2)) }))
    }
}
