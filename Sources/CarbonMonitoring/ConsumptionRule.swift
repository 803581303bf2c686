/// How one reading becomes consumption, and when it cannot: validation, estimation and editing
/// reduced to the rules a city needs before it adds meters up.
public struct ConsumptionRule: Sendable, Hashable {
    public let kind: Datastream.ReadingKind
    public let multiplier: Double
    public let rolloverAt: Double?
    public let maxPerHour: Double?
    /// The most any meter of the quantity can carry in an hour (the catalogue's physical limit).
    public let ceilingPerHour: Double?
    /// Consumption meters never read below zero; generation and state sensors are not judged.
    public let forbidsNegative: Bool

    public init(datastream: Datastream, quantity: MeterQuantity) {
        kind = datastream.kind
        multiplier = datastream.multiplier
        rolloverAt = datastream.rolloverAt
        maxPerHour = datastream.maxPerHour
        ceilingPerHour = ReadingBounds(datastream: datastream, quantity: quantity).ceilingPerHour
        forbidsNegative = quantity.direction == .consumption
    }

    public init(kind: Datastream.ReadingKind, multiplier: Double = 1, rolloverAt: Double? = nil, maxPerHour: Double? = nil,
                ceilingPerHour: Double? = nil, forbidsNegative: Bool = true) {
        (self.kind, self.multiplier, self.rolloverAt, self.maxPerHour, self.forbidsNegative) =
            (kind, multiplier, rolloverAt, maxPerHour, forbidsNegative)
        self.ceilingPerHour = ceilingPerHour
    }

    /// The longest span between two register reads whose difference is still placed in the
    /// interval that ends with the later read. Across a longer silence nobody knows when the
    /// consumption happened — a read back-filled years before the next one would put years of
    /// gas into one quarter-hour — so nothing is counted and the read is flagged ``Anomaly/Kind/unplaced``.
    public static let longestBridgeSeconds: Int64 = 86_400

    public struct Outcome: Sendable, Hashable {
        /// What the interval consumed, in the datastream's unit; nil when nothing can be counted.
        public let consumption: Double?
        public let anomaly: Anomaly.Kind?

        static let nothing = Outcome(consumption: nil, anomaly: nil)
    }

    /// The consumption of the interval that ends with `value` at `time`. For a cumulative
    /// register, `previous` is the read just before (nil for the first read, which only sets
    /// the starting point); interval meters ignore it, except to size the interval.
    @inline(__always)
    public func outcome(value: Double, time: UnixSeconds, previous: (time: UnixSeconds, value: Double)?, intervalSeconds: Int) -> Outcome {
        switch kind {
        case .instantaneous:
            return .nothing
        case .interval:
            let consumption = value * multiplier
            if forbidsNegative, consumption < 0 { return Outcome(consumption: nil, anomaly: .negative) }
            if let maxPerHour, consumption > maxPerHour * Double(intervalSeconds) / 3600 {
                return Outcome(consumption: nil, anomaly: .impossible)
            }
            return Outcome(consumption: consumption, anomaly: nil)
        case .cumulative:
            guard let previous else { return .nothing }
            let span = time - previous.time
            let hours = Double(span) / 3600
            let limit = maxPerHour.map { $0 * hours }
            switch RegisterConversion.between(previous: previous.value, current: value, multiplier: multiplier,
                                              rolloverAt: rolloverAt, maxConsumption: limit) {
            case .consumption(let c), .rollover(let c):
                if let limit, c > limit { return Outcome(consumption: nil, anomaly: .impossible) }
                if let ceilingPerHour, c > ceilingPerHour * hours { return Outcome(consumption: nil, anomaly: .impossible) }
                if span > Self.longestBridgeSeconds, c > 0 { return Outcome(consumption: nil, anomaly: .unplaced) }
                return Outcome(consumption: c, anomaly: nil)
            case .reset:
                return Outcome(consumption: nil, anomaly: .reset)
            }
        }
    }
}
