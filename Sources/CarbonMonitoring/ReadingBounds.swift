import CarbonKit

/// The values a datastream can physically be sent, from its quantity's range in the catalogue
/// (`quantities.csv`): a reading outside them is refused with the batch, never stored, so no
/// infinity or absurd number ever reaches a sum.
///
/// This is a wider net than a datastream's own `max_per_hour`, which marks a reading impossible
/// for *that* connection and keeps it, flagged and uncounted.
public struct ReadingBounds: Sendable, Hashable {
    /// Raw values as sent, in the datastream's unit and before its multiplier.
    public let range: ClosedRange<Double>
    /// The most consumption one hour can hold, in the datastream's unit: a register difference
    /// above it over the hours between two reads is impossible whatever the datastream says.
    public let ceilingPerHour: Double?
    let what: String

    public init(datastream: Datastream, quantity: MeterQuantity, units: UnitCatalog = .standard) {
        // How many of the quantity's default unit one of the datastream's is (1000 for MWh against kWh).
        var scale = 1.0
        if datastream.unit != quantity.defaultUnit, let from = units.unit(datastream.unit), let to = units.unit(quantity.defaultUnit),
           from.dimension == to.dimension {
            scale = from.baseUnitsPerUnit / to.baseUnitsPerUnit
        }
        let multiplier = datastream.kind == .instantaneous ? 1 : datastream.multiplier
        let perRaw = scale * multiplier
        ceilingPerHour = quantity.maxPerHour.map { $0 / scale }
        switch datastream.kind {
        case .interval:
            let limit = (quantity.maxPerHour ?? .greatestFiniteMagnitude) * Double(datastream.intervalSeconds) / 3600 / perRaw
            range = -limit...limit
            what = "an interval of \(datastream.intervalSeconds) s of \(quantity.key)"
        case .cumulative:
            range = (quantity.minValue ?? 0) / perRaw...(quantity.maxValue ?? .greatestFiniteMagnitude) / perRaw
            what = "a \(quantity.key) register"
        case .instantaneous:
            range = (quantity.minValue ?? -.greatestFiniteMagnitude) / perRaw...(quantity.maxValue ?? .greatestFiniteMagnitude) / perRaw
            what = quantity.key
        }
    }

    /// Why `value` cannot have been measured, or nil when it can.
    public func problem(_ value: Double) -> String? {
        guard value.isFinite else { return "is not a finite number" }
        guard range.contains(value) else {
            return "is outside what \(what) can read (\(Self.text(range.lowerBound)) to \(Self.text(range.upperBound)) in its unit)"
        }
        return nil
    }

    static func text(_ x: Double) -> String {
        abs(x) >= 1e7 || (x != 0 && abs(x) < 1e-3) ? "\(x)" : String(format: "%.10g", x)
    }
}
