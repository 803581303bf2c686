/// One meter channel or sensor (SensorThings' Datastream): what it measures, in which unit,
/// how often, and whether it sends interval values or a cumulative register.
public struct Datastream: Sendable, Hashable, Codable {
    public enum ReadingKind: String, Sendable, Codable {
        /// Each reading is the consumption of the interval ending at its time.
        case interval
        /// Each reading is the register (odometer); consumption is the difference between reads.
        case cumulative
        /// Each reading is a state (concentration, power) at its time.
        case instantaneous
    }

    /// The name devices send (`elec-main`, a SenML name, an AMI meter number), unique in the city.
    public var key: String
    public var siteKey: String
    public var quantity: String
    public var unit: String
    public var kind: ReadingKind
    /// Expected seconds between readings (900 for a 15-minute meter); gaps are judged against it.
    public var intervalSeconds: Int
    /// CT/VT ratio or pulse weight: consumption = register difference × multiplier.
    public var multiplier: Double
    /// The register's wrap-around value (e.g. 100,000 for five digits); nil if it never wraps.
    public var rolloverAt: Double?
    /// The largest consumption per hour the connection can physically deliver; more is impossible.
    public var maxPerHour: Double?

    public init(key: String, siteKey: String, quantity: String, unit: String, kind: ReadingKind, intervalSeconds: Int,
                multiplier: Double = 1, rolloverAt: Double? = nil, maxPerHour: Double? = nil) {
        (self.key, self.siteKey, self.quantity, self.unit, self.kind) = (key, siteKey, quantity, unit, kind)
        (self.intervalSeconds, self.multiplier, self.rolloverAt, self.maxPerHour) = (intervalSeconds, multiplier, rolloverAt, maxPerHour)
    }
}
