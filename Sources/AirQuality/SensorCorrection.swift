import Foundation

/// A linear correction of a low-cost PM2.5 sensor: `PM2.5 = pm·PM_raw + rh·RH + intercept`, from
/// a stated study (`Resources/sensor-corrections.json`). Each corrected value carries the id of
/// the version it went through, so a city can tell which equation made a figure.
public struct SensorCorrection: Sendable, Decodable, Equatable {
    public var id: String
    public var title: String
    public var input: String
    public var pm: Double
    public var rh: Double
    public var intercept: Double
    public var source: String

    /// The corrected concentration, never below zero; nil when either input is not a number, the
    /// reading is negative or the humidity is outside 0–100 %.
    public func apply(pm raw: Double, relativeHumidity: Double) -> Double? {
        guard raw.isFinite, relativeHumidity.isFinite, raw >= 0, (0...100).contains(relativeHumidity) else { return nil }
        return max(0, pm * raw + rh * relativeHumidity + intercept)
    }
}

/// The corrections the platform ships and the one pinned for new values.
public struct SensorCorrections: Sendable, Decodable {
    public var source: String
    public var pinned: String
    public var corrections: [SensorCorrection]

    public static let shipped: SensorCorrections = ShippedData.load("sensor-corrections")

    public func correction(_ id: String) -> SensorCorrection? { corrections.first { $0.id == id } }
    /// The version new values go through.
    public var current: SensorCorrection { correction(pinned)! }
}
