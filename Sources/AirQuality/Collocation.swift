import Foundation

/// A sensor's performance beside a reference monitor, by US EPA's base-testing metrics: the OLS
/// fit of sensor on reference (slope, intercept, R²), and the error (RMSE, NRMSE), each judged
/// against the parameter's target (`Resources/sensor-targets.json`). The fit also gives the
/// calibration: `reference = (sensor − intercept) / slope`.
public struct Collocation: Sendable, Equatable {
    public var pairs: Int
    public var slope: Double
    public var intercept: Double
    public var r2: Double
    public var rmse: Double
    /// RMSE as a percentage of the reference mean.
    public var nrmse: Double
    public var referenceMean: Double

    public init(pairs: Int, slope: Double, intercept: Double, r2: Double, rmse: Double, nrmse: Double, referenceMean: Double) {
        (self.pairs, self.slope, self.intercept, self.r2, self.rmse, self.nrmse, self.referenceMean) = (pairs, slope, intercept, r2, rmse, nrmse, referenceMean)
    }

    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        case tooFewPairs(Int)
        case constantReference
        case lengthsDiffer(sensor: Int, reference: Int)
        public var description: String {
            switch self {
            case let .tooFewPairs(n): "\(n) valid pairs; a fit needs at least 3"
            case .constantReference: "the reference does not vary, so no slope can be fitted"
            case let .lengthsDiffer(sensor, reference): "\(sensor) sensor values for \(reference) reference values"
            }
        }
    }

    /// Fits sensor on reference over the pairs where both are numbers (gaps are skipped).
    public static func fit(sensor: [Double?], reference: [Double?]) -> Result<Collocation, Refusal> {
        guard sensor.count == reference.count else { return .failure(.lengthsDiffer(sensor: sensor.count, reference: reference.count)) }
        let pairs = zip(sensor, reference).compactMap { s, r -> (x: Double, y: Double)? in
            guard let s, let r, s.isFinite, r.isFinite else { return nil }
            return (r, s)
        }
        guard pairs.count >= 3 else { return .failure(.tooFewPairs(pairs.count)) }
        let n = Double(pairs.count)
        let meanX = pairs.reduce(0) { $0 + $1.x } / n
        let meanY = pairs.reduce(0) { $0 + $1.y } / n
        var sxx = 0.0, sxy = 0.0, syy = 0.0, squaredError = 0.0
        for (x, y) in pairs {
            sxx += (x - meanX) * (x - meanX)
            sxy += (x - meanX) * (y - meanY)
            syy += (y - meanY) * (y - meanY)
            squaredError += (y - x) * (y - x)
        }
        guard sxx > 0 else { return .failure(.constantReference) }
        let slope = sxy / sxx
        let r2 = syy > 0 ? (sxy * sxy) / (sxx * syy) : 1
        let rmse = (squaredError / n).squareRoot()
        return .success(Collocation(pairs: pairs.count, slope: slope, intercept: meanY - slope * meanX, r2: r2, rmse: rmse,
                                    nrmse: meanX != 0 ? rmse / abs(meanX) * 100 : .infinity, referenceMean: meanX))
    }

    /// The reference-equivalent of a sensor value by this fit.
    public func calibrated(_ sensor: Double) -> Double { (sensor - intercept) / slope }

    /// Each metric against its target: what it is, the target, and whether it passes.
    public func judged(by target: SensorTarget) -> [Judgement] {
        var found = [
            Judgement(metric: "slope", value: slope, target: "\(target.slope_min)–\(target.slope_max)",
                      passes: (target.slope_min...target.slope_max).contains(slope)),
            Judgement(metric: "intercept", value: intercept, target: "\(target.intercept_min) to \(target.intercept_max) \(target.unit)",
                      passes: (target.intercept_min...target.intercept_max).contains(intercept)),
            Judgement(metric: "r2", value: r2, target: "≥ \(target.r2_min)", passes: r2 >= target.r2_min),
        ]
        // EPA's PM2.5 error target is met by either RMSE or NRMSE.
        if let nrmseMaximum = target.nrmse_max_percent {
            found.append(Judgement(metric: "rmse", value: rmse, target: "≤ \(target.rmse_max) \(target.unit) or NRMSE ≤ \(nrmseMaximum) %",
                                   passes: rmse <= target.rmse_max || nrmse <= nrmseMaximum))
        } else {
            found.append(Judgement(metric: "rmse", value: rmse, target: "≤ \(target.rmse_max) \(target.unit)", passes: rmse <= target.rmse_max))
        }
        return found
    }

    public struct Judgement: Sendable, Equatable {
        public var metric: String
        public var value: Double
        public var target: String
        public var passes: Bool

        public init(metric: String, value: Double, target: String, passes: Bool) {
            (self.metric, self.value, self.target, self.passes) = (metric, value, target, passes)
        }
    }
}

/// US EPA's base-testing targets for one parameter.
public struct SensorTarget: Sendable, Decodable, Equatable {
    public var parameter: String
    public var unit: String
    public var slope_min: Double
    public var slope_max: Double
    public var intercept_min: Double
    public var intercept_max: Double
    public var r2_min: Double
    public var rmse_max: Double
    public var nrmse_max_percent: Double?
    public var sd_max: Double
    public var cv_max_percent: Double
    public var source: String
}

public struct SensorTargets: Sendable, Decodable {
    public var source: String
    public var targets: [SensorTarget]

    public static let shipped: SensorTargets = ShippedData.load("sensor-targets")

    public func target(_ parameter: String) -> SensorTarget? { targets.first { $0.parameter == parameter } }
}

extension Collocation {
    /// The hours a sensor and a reference monitor share for one parameter, in the unit of its
    /// targets: the sensor's raw value (the fit is of the sensor itself, before any correction)
    /// where its checks passed, beside the reference's value used. Hours are in time order; an hour
    /// either lacks is a gap, which ``fit(sensor:reference:)`` skips.
    public static func pairs(sensor: [AirHour], reference: [AirHour], parameter: AirParameter, unit: String,
                             conversion: GasConversion = .shipped) -> (hours: [Int64], sensor: [Double?], reference: [Double?]) {
        func converted(_ value: Double?) -> Double? {
            value.flatMap { conversion.convert($0, parameter: parameter, from: parameter.unit, to: unit) }
        }
        // A sensor's hour that could not be corrected (no humidity) still has a good raw value.
        let sensorValues = Dictionary(sensor.filter { $0.parameter == parameter && $0.flags.allSatisfy { $0 == .noHumidity } }.map { ($0.hour, $0.raw) },
                                      uniquingKeysWith: { _, last in last })
        let referenceValues = Dictionary(reference.filter { $0.parameter == parameter }.map { ($0.hour, $0.value) }, uniquingKeysWith: { _, last in last })
        let hours = Set(sensorValues.keys).union(referenceValues.keys).sorted()
        return (hours, hours.map { converted(sensorValues[$0] ?? nil) }, hours.map { converted(referenceValues[$0] ?? nil) })
    }
}
