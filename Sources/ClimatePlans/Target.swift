import CarbonKit

/// A quantified goal of a plan for one jurisdiction: "cut CO2 per unit of GDP 18 % from 2020
/// by 2025", "emissions peak by 2030 at no more than 20 Mt". A target handed down from a
/// higher level may arrive before its number does: its value is then `pending`.
public struct Target: Sendable, Hashable, Codable {
    public enum Metric: String, Sendable, Hashable, Codable {
        /// Tonnes CO2e: parts of a decomposition add up.
        case totalEmissions = "total_emissions"
        /// CO2e per unit of GDP: parts combine as a GDP-weighted average.
        case emissionsPerGDP = "emissions_per_gdp"
        case energyPerGDP = "energy_per_gdp"
    }

    public enum Value: Sendable, Hashable, Codable {
        /// A cut relative to the base year, as a share: 0.18 is 18 %.
        case reduction(Double)
        /// The level to reach (or not exceed), in the metric's unit.
        case level(Double)
        /// Announced by a higher level, number not yet known.
        case pending
    }

    public var identifier: String
    public var name: Multilingual
    public var metric: Metric
    public var jurisdiction: String
    public var baseYear: Int
    public var targetYear: Int
    public var value: Value
    /// Where the target comes from: a national or provincial document, the plan itself.
    public var handedDownFrom: String?
    /// Its share-out to districts and to sectors, at most one per dimension.
    public var allocations: [TargetAllocation] = []

    public init(identifier: String, name: Multilingual, metric: Metric, jurisdiction: String, baseYear: Int, targetYear: Int,
                value: Value, handedDownFrom: String? = nil) {
        self.identifier = identifier
        self.name = name
        self.metric = metric
        self.jurisdiction = jurisdiction
        self.baseYear = baseYear
        self.targetYear = targetYear
        self.value = value
        self.handedDownFrom = handedDownFrom
    }
}

extension Target {
    /// The level the target allows in its target year, in the metric's unit: a level as set,
    /// a reduction applied to the base-year value; nil while pending or without a base value.
    public func level(baseValue: Double?) -> Double? {
        switch value {
        case .level(let x): x
        case .reduction(let share): baseValue.map { $0 * (1 - share) }
        case .pending: nil
        }
    }

    /// The straight path from the base-year value to the target level, as an indicator with
    /// `actual` values, so the indicator rules judge it (on track, at risk, off track).
    public func asIndicator(baseValue: Double?, actual: [IndicatorValue], unit: String) -> Indicator {
        var values = actual.filter { $0.year != baseYear }
        if let baseValue { values.insert(IndicatorValue(year: baseYear, value: baseValue, source: "base year"), at: 0) }
        return Indicator(identifier: identifier, name: name, unit: unit, direction: .decrease, kind: .binding, values: values.sorted { $0.year < $1.year },
                         goals: [IndicatorGoal(year: targetYear, value: level(baseValue: baseValue), source: handedDownFrom)])
    }
}

/// A target shared out to districts or to sectors: each part's allowed level in the target
/// year, how it was split, and what it was split by (kept as the evidence of the split).
public struct TargetAllocation: Sendable, Hashable, Codable {
    public enum Dimension: String, Sendable, Hashable, Codable, CaseIterable { case jurisdiction, sector }
    public enum Method: String, Sendable, Hashable, Codable, CaseIterable { case equal, proportional, weighted, manual }

    public var dimension: Dimension
    public var method: Method
    /// Base-year values or weights the split followed; empty for equal shares.
    public var basis: [String: Double]
    public var basisSource: String?
    /// The basis's source when the platform wrote it, for pages in any language; `basisSource` holds its English.
    public var basisSourcePhrase: Phrase?
    public var whole: Double
    public var parts: [String: Double]

    public init(dimension: Dimension, method: Method, basis: [String: Double] = [:], basisSource: String? = nil, whole: Double, parts: [String: Double]) {
        self.dimension = dimension
        self.method = method
        self.basis = basis
        self.basisSource = basisSource
        self.whole = whole
        self.parts = parts
    }

    /// `name`'s part of the basis the split followed (0…1); nil when it followed none.
    public func basisShare(of name: String) -> Double? {
        let total = basis.values.reduce(0, +)
        guard total > 0, total.isFinite else { return nil }
        return (basis[name] ?? 0) / total
    }

    /// Splits an additive target's level (tonnes) among `names`; intensity targets are not
    /// additive and are refused here (each district takes the city's rate, or rates checked
    /// with ``Decomposition/checkWeightedAverage(whole:rates:weights:)``).
    public static func make(for target: Target, level: Double, dimension: Dimension, method: Method, among names: [String],
                            basis: [String: Double], basisSource: String?) throws(InputErrors) -> TargetAllocation {
        guard target.metric == .totalEmissions else {
            throw InputErrors([InputIssue(InputLocation(field: "metric"), value: target.metric.rawValue,
                                          reason: "an intensity target does not add up over its parts; give each part the rate instead")])
        }
        let split: DecompositionMethod = switch method {
        case .equal: .equalShare
        case .proportional: .proportional(basis)
        case .weighted: .weighted(basis)
        case .manual: .manual(basis)
        }
        let decomposition = try Decomposition.split(level, among: names, by: split)
        try decomposition.check()
        return TargetAllocation(dimension: dimension, method: method, basis: method == .equal || method == .manual ? [:] : basis,
                                basisSource: basisSource, whole: level, parts: decomposition.parts)
    }
}

/// How a city's part of an additive target is shared out to districts or sectors.
public enum DecompositionMethod: Sendable, Hashable {
    /// The same amount each.
    case equalShare
    /// In proportion to each part's base-year value (its emissions, typically).
    case proportional([String: Double])
    /// In proportion to weights the office sets.
    case weighted([String: Double])
    /// Entered by hand; must add up to the whole.
    case manual([String: Double])
}

/// A whole split into named parts that add up to it.
public struct Decomposition: Sendable, Hashable {
    public var whole: Double
    public var parts: [String: Double]

    /// Parts may differ from the whole by this share before the split is refused (rounding of hand-entered numbers).
    public static let tolerance = 1e-6

    /// Splits `whole` among `names` by `method`; every problem is named with its part.
    public static func split(_ whole: Double, among names: [String], by method: DecompositionMethod) throws(InputErrors) -> Decomposition {
        guard !names.isEmpty else { throw InputErrors([InputIssue(InputLocation(field: "parts"), reason: "there is nothing to split among")]) }
        func shares(_ basis: [String: Double], field: String) throws(InputErrors) -> [String: Double] {
            var issues: [InputIssue] = []
            for name in names {
                guard let x = basis[name] else {
                    issues.append(InputIssue(InputLocation(field: field), value: name, reason: "has no \(field)")); continue
                }
                if x < 0 || !x.isFinite { issues.append(InputIssue(InputLocation(field: field), value: "\(name): \(x)", reason: "must be zero or more")) }
            }
            for name in basis.keys where !names.contains(name) {
                issues.append(InputIssue(InputLocation(field: field), value: name, reason: "is not one of the parts"))
            }
            if !issues.isEmpty { throw InputErrors(issues) }
            let sum = names.reduce(0) { $0 + basis[$1]! }
            guard sum > 0 else { throw InputErrors([InputIssue(InputLocation(field: field), reason: "add up to zero: nothing to share by")]) }
            return Dictionary(uniqueKeysWithValues: names.map { ($0, whole * basis[$0]! / sum) })
        }
        switch method {
        case .equalShare:
            return Decomposition(whole: whole, parts: Dictionary(uniqueKeysWithValues: names.map { ($0, whole / Double(names.count)) }))
        case .proportional(let basis):
            return Decomposition(whole: whole, parts: try shares(basis, field: "base-year value"))
        case .weighted(let weights):
            return Decomposition(whole: whole, parts: try shares(weights, field: "weight"))
        case .manual(let parts):
            var issues: [InputIssue] = []
            for name in names where parts[name] == nil { issues.append(InputIssue(InputLocation(field: "part"), value: name, reason: "has no value")) }
            for name in parts.keys where !names.contains(name) {
                issues.append(InputIssue(InputLocation(field: "part"), value: name, reason: "is not one of the parts"))
            }
            if !issues.isEmpty { throw InputErrors(issues) }
            let decomposition = Decomposition(whole: whole, parts: parts)
            try decomposition.check()
            return decomposition
        }
    }

    /// Refuses parts that do not add up to the whole, naming the gap.
    public func check() throws(InputErrors) {
        let sum = parts.values.reduce(0, +)
        guard abs(sum - whole) <= Self.tolerance * max(1, abs(whole)) else {
            throw InputErrors([InputIssue(InputLocation(field: "parts"), value: String(sum),
                                          reason: "add up to \(sum), not \(whole): \(sum > whole ? "over" : "short") by \(abs(sum - whole))")])
        }
    }

    /// For intensity targets: the parts' rates weighted by each part's denominator (GDP)
    /// must give the whole's rate.
    public static func checkWeightedAverage(whole: Double, rates: [String: Double], weights: [String: Double]) throws(InputErrors) {
        let total = rates.keys.reduce(0) { $0 + (weights[$1] ?? 0) }
        guard total > 0 else { throw InputErrors([InputIssue(InputLocation(field: "weights"), reason: "add up to zero")]) }
        let average = rates.reduce(0) { $0 + $1.value * (weights[$1.key] ?? 0) } / total
        guard abs(average - whole) <= tolerance * max(1, abs(whole)) else {
            throw InputErrors([InputIssue(InputLocation(field: "rates"), value: String(average),
                                          reason: "average \(average) weighted by GDP, not the whole's \(whole)")])
        }
    }
}
