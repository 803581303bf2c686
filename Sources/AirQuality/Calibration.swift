/// A low-cost sensor's own calibration, fitted by collocation with a reference monitor: the fit
/// found the sensor reading `slope · reference + intercept`, so the reference is
/// `(sensor − intercept) / slope`. It becomes a correction version like EPA's, named by the
/// collocation it came from, so every value it made says so.
extension SensorCorrection {
    public enum CalibrationRefusal: Error, Sendable, Equatable, CustomStringConvertible {
        case parameter(String)
        case slope(Double)
        case linearity(r2: Double, needed: Double)

        public var description: String {
            switch self {
            case .parameter(let p): "only PM2.5 goes through a correction; a \(p) collocation is a record of performance"
            case .slope(let s): "the slope \(s) does not turn around into a calibration: the sensor must rise with the reference"
            case let .linearity(r2, needed): "R² \(r2) is below EPA's \(needed): a straight line cannot calibrate a sensor that does not follow the reference"
            }
        }
    }

    /// The id of the calibration fitted by collocation `id`.
    public static func calibrationID(collocation id: Int64) -> String { "collocation-\(id)" }

    /// The calibration a PM2.5 fit gives, refused when the sensor does not follow the reference
    /// closely enough for a line to correct it (R² below the target's) or falls as it rises.
    public static func calibration(_ fit: Collocation, parameter: String, target: SensorTarget, collocation id: Int64,
                                   title: String, source: String) -> Result<SensorCorrection, CalibrationRefusal> {
        guard parameter == "pm25" else { return .failure(.parameter(parameter)) }
        guard fit.slope.isFinite, fit.slope > 0, fit.intercept.isFinite else { return .failure(.slope(fit.slope)) }
        guard fit.r2 >= target.r2_min else { return .failure(.linearity(r2: fit.r2, needed: target.r2_min)) }
        return .success(SensorCorrection(id: calibrationID(collocation: id), title: title, input: "the sensor's own PM2.5 (µg/m³), checked",
                                         pm: 1 / fit.slope, rh: 0, intercept: -fit.intercept / fit.slope, source: source))
    }
}
