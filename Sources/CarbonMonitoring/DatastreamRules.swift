import CarbonKit

extension Datastream {
    /// What is wrong with a datastream's registration, by field, for the sheet's error message.
    public struct Problem: Error, Sendable, Hashable {
        public let field: String
        public let value: String?
        public let reason: String
        public let suggestion: String?
    }

    /// The rules a datastream keeps: a known quantity, a unit of its dimension, a kind that fits
    /// it (consumption is interval or cumulative, a state instantaneous), a sensible interval,
    /// and a multiplier, wrap value and connection limit that mean something.
    public func validate(quantities: MeterQuantityCatalog = .standard, units: UnitCatalog = .standard) throws(Problem) {
        guard let known = quantities[quantity] else {
            throw Problem(field: "quantity", value: quantity, reason: "unknown quantity",
                          suggestion: Suggestion.didYouMean(quantity, among: quantities.keys) ?? "one of " + quantities.keys.joined(separator: ", "))
        }
        if let dimension = known.dimension {
            guard let measure = units.unit(unit), measure.dimension == dimension else {
                throw Problem(field: "unit", value: unit, reason: "not a unit of \(dimension.rawValue) for \(quantity)", suggestion: "e.g. \(known.defaultUnit)")
            }
        }
        if known.isAdditive == (kind == .instantaneous) {
            throw Problem(field: "kind", value: kind.rawValue,
                          reason: known.isAdditive ? "\(quantity) is consumption: interval or cumulative" : "\(quantity) is a state: instantaneous",
                          suggestion: nil)
        }
        guard (60...86_400).contains(intervalSeconds) else {
            throw Problem(field: "interval_s", value: "\(intervalSeconds)", reason: "seconds between readings, 60 to 86400", suggestion: nil)
        }
        guard multiplier > 0, multiplier <= 1e9 else {
            throw Problem(field: "multiplier", value: "\(multiplier)", reason: "must be greater than zero and at most 1e9", suggestion: nil)
        }
        if let rolloverAt, !(rolloverAt > 0 && rolloverAt <= 1e15) || kind != .cumulative {
            throw Problem(field: "rollover_at", value: "\(rolloverAt)", reason: "only a cumulative register wraps, at a value above zero and at most 1e15", suggestion: nil)
        }
        if let maxPerHour, !(maxPerHour > 0 && maxPerHour.isFinite) {
            throw Problem(field: "max_per_hour", value: "\(maxPerHour)", reason: "must be a finite number greater than zero", suggestion: nil)
        }
    }
}
