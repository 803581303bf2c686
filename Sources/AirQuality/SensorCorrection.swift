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

    /// Whether the hour's humidity is an input (a calibration fitted on PM2.5 alone needs none).
    public var needsHumidity: Bool { rh != 0 }

    /// The corrected concentration, never below zero; nil when the reading is not a number or
    /// negative, or the correction needs a humidity that is missing or outside 0–100 %.
    public func apply(pm raw: Double, relativeHumidity: Double?) -> Double? {
        guard raw.isFinite, raw >= 0 else { return nil }
        guard needsHumidity else { return max(0, pm * raw + intercept) }
        guard let relativeHumidity, relativeHumidity.isFinite, (0...100).contains(relativeHumidity) else { return nil }
        return max(0, pm * raw + rh * relativeHumidity + intercept)
    }

    public init(id: String, title: String, input: String, pm: Double, rh: Double, intercept: Double, source: String) {
        (self.id, self.title, self.input, self.pm, self.rh, self.intercept, self.source) = (id, title, input, pm, rh, intercept, source)
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

    /// These and `more` (the city's own calibrations), each findable by its id.
    public func adding(_ more: [SensorCorrection]) -> SensorCorrections {
        var all = self
        all.corrections += more.filter { extra in !corrections.contains { $0.id == extra.id } }
        return all
    }
}
