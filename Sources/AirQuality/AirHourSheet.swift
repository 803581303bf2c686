import CarbonKit
import Foundation

/// A sheet of hourly values, one per row: `sensor, hour, parameter, value` and, for a dual-channel
/// PM sensor, `value_b`. `hour` is the hour's start as an RFC 3339 time with its offset
/// (`2026-03-01T08:00:00+08:00`). Every bad cell is named with its row and column; a sheet with
/// any is refused whole.
public struct AirHourSheet: Sendable {
    public struct Row: Sendable, Equatable {
        public var sensor: String
        public var hour: Int64
        public var parameter: AirParameter
        public var value: Double?
        public var valueB: Double?
        public var line: Int

        /// `line`: where the value came from (a sheet's row; 0 for one sent by itself).
        public init(sensor: String, hour: Int64, parameter: AirParameter, value: Double?, valueB: Double? = nil, line: Int = 0) {
            (self.sensor, self.hour, self.parameter, self.value, self.valueB, self.line) = (sensor, hour, parameter, value, valueB, line)
        }
    }

    public var rows: [Row]

    /// The earliest and latest hours a sheet may hold: 1990 to 2100.
    public static let earliest: Int64 = 631_152_000, latest: Int64 = 4_102_444_800

    /// Why a value cannot be for `hour`: not an hour's start from 1990 to 2100, or after `latest`.
    public static func problem(hour: Int64?, latest: Int64) -> String? {
        guard let hour, (earliest...Self.latest).contains(hour), hour.floorModulo(3600) == 0 else {
            return "must be an hour's start like 2026-03-01T08:00:00+08:00, from 1990 to 2100"
        }
        return hour > latest ? "is in the future: no value can be for it yet" : nil
    }

    /// `latest` is the last hour a value may be for (the current hour, in the store); a later one is refused.
    public init(name: String, text: String, sensors: Set<String>, latest: Int64 = AirHourSheet.latest) throws(InputErrors) {
        let table = try ReferenceTable(name: name, text: text)
        try table.require(["sensor", "hour", "parameter", "value"])
        var rows: [Row] = []
        var issues: [InputIssue] = []
        var seen: [String: Int] = [:]
        for row in table.rows {
            let sensor = row["sensor"]
            if !sensors.contains(sensor) {
                issues.append(InputIssue(row.location("sensor"), value: sensor, reason: "is not a sensor of the network (citycarbon air sensor list)"))
            }
            let hourText = row["hour"]
            let hour = RFC3339.wholeSeconds(hourText)
            if let problem = Self.problem(hour: hour, latest: latest) { issues.append(InputIssue(row.location("hour"), value: hourText, reason: problem)) }
            let parameter = AirParameter(rawValue: row["parameter"])
            if parameter == nil {
                issues.append(InputIssue(row.location("parameter"), value: row["parameter"], reason: "is not a parameter",
                                         suggestion: AirParameter.allCases.map(\.rawValue).joined(separator: ", ")))
            }
            var value: Double?, valueB: Double?
            do throws(InputIssue) {
                value = try row.optionalDouble("value")
                if table.columns.contains("value_b") { valueB = try row.optionalDouble("value_b") }
            } catch { issues.append(error) }
            guard let hour, let parameter else { continue }
            // 08:00+08:00 and 00:00Z are the same hour, so the same row.
            let start = hour
            let key = "\(sensor)\u{0}\(parameter.rawValue)\u{0}\(start)"
            if let first = seen[key] {
                issues.append(InputIssue(row.location("hour"), value: hourText, reason: "repeats the hour of row \(first)"))
                continue
            }
            seen[key] = row.line
            rows.append(Row(sensor: sensor, hour: start, parameter: parameter, value: value, valueB: valueB, line: row.line))
            if issues.count >= 200 { break }
        }
        if !issues.isEmpty { throw InputErrors(Array(issues.prefix(200))) }
        self.rows = rows
    }
}

/// A stored hour: the raw value as sent, the value used (nil when a check flagged it), the flags,
/// and the correction it went through.
public struct AirHour: Sendable, Equatable {
    public var sensor: String
    public var parameter: AirParameter
    public var hour: Int64
    public var raw: Double?
    public var value: Double?
    public var flags: [SensorQC.Flag]
    public var correction: String?

    public init(sensor: String, parameter: AirParameter, hour: Int64, raw: Double?, value: Double?, flags: [SensorQC.Flag], correction: String?) {
        (self.sensor, self.parameter, self.hour, self.raw, self.value, self.flags, self.correction) = (sensor, parameter, hour, raw, value, flags, correction)
    }
}

/// Hourly values through the checks and the correction: A/B agreement for a dual-channel
/// sensor, range, stuck values and jumps over each sensor's hours in order (a missing hour is a
/// gap, so a jump is measured per hour), then the sensor's correction on PM2.5 with the same
/// hour's humidity. Reference monitors are checked for range only: their own QA is the operator's.
public enum AirHourProcessing {
    /// `storedHumidity` (sensor → hour → %): the humidity already kept for hours these rows do not
    /// bring, so a PM2.5 hour sent again by itself is corrected as it was, not left unused.
    public static func process(_ rows: [AirHourSheet.Row], sensors: [String: AirSensor], qc: SensorQC = .shipped,
                               corrections: SensorCorrections = .shipped, storedHumidity: [String: [Int64: Double]] = [:]) -> [AirHour] {
        var result: [AirHour] = []
        let grouped = Dictionary(grouping: rows) { "\($0.sensor)\u{0}\($0.parameter.rawValue)" }
        var humidity = storedHumidity
        var checkedBySeries: [(sensor: AirSensor, parameter: AirParameter, hours: [Int64], checked: [SensorQC.Checked])] = []
        for key in grouped.keys.sorted() {
            let series = grouped[key]!.sorted { $0.hour < $1.hour }
            guard let sensor = sensors[series[0].sensor] else { continue }
            let parameter = series[0].parameter
            // One slot per hour from the first to the last, so gaps separate runs and jumps.
            let first = series[0].hour, last = series[series.count - 1].hour
            let span = Int((last - first) / 3600) + 1
            let combined = series.map { row in
                row.valueB != nil ? qc.combine(a: row.value, b: row.valueB)
                    : SensorQC.Checked(raw: row.value, value: row.value, flags: row.value == nil ? [.missing] : [])
            }
            let checked: [SensorQC.Checked]
            if sensor.grade == .lowCost, span <= 24 * 366 * 5 {
                var slots = [Double?](repeating: nil, count: span)
                for (row, combination) in zip(series, combined) { slots[Int((row.hour - first) / 3600)] = combination.value }
                let overSlots = qc.check(slots, parameter: parameter.rawValue)
                checked = zip(series, combined).map { row, combination in
                    // A value the A/B check already refused keeps that reason; the others take the series' checks.
                    guard combination.flags.isEmpty else { return combination }
                    var found = overSlots[Int((row.hour - first) / 3600)]
                    found.raw = combination.raw
                    return found
                }
            } else {
                // Reference monitors (and a sheet spanning more than five years) are checked value by value.
                checked = combined.map { combination in
                    guard combination.flags.isEmpty else { return combination }
                    var found = qc.check([combination.value], parameter: parameter.rawValue)[0]
                    found.raw = combination.raw
                    return found
                }
            }
            if parameter == .rh {
                for (row, check) in zip(series, checked) { if let value = check.value { humidity[sensor.code, default: [:]][row.hour] = value } }
            }
            checkedBySeries.append((sensor, parameter, series.map(\.hour), checked))
        }
        for (sensor, parameter, hours, checked) in checkedBySeries {
            let correction = parameter == .pm25 && sensor.grade == .lowCost ? sensor.correction.flatMap { corrections.correction($0) } : nil
            for (hour, check) in zip(hours, checked) {
                let (value, flags, used) = corrected(check, by: correction, humidity: humidity[sensor.code]?[hour])
                result.append(AirHour(sensor: sensor.code, parameter: parameter, hour: hour, raw: check.raw, value: value, flags: flags,
                                      correction: used))
            }
        }
        return result.sorted { ($0.sensor, $0.parameter.rawValue, $0.hour) < ($1.sensor, $1.parameter.rawValue, $1.hour) }
    }

    /// A checked hour through a correction: a low-cost PM2.5 value needs its hour's humidity to be
    /// corrected (unless the correction is a calibration on PM2.5 alone), and without it is not used
    /// (flagged `no_humidity`). Without a correction it is as checked.
    static func corrected(_ check: SensorQC.Checked, by correction: SensorCorrection?, humidity: Double?)
        -> (value: Double?, flags: [SensorQC.Flag], used: String?) {
        guard let correction, let raw = check.value else { return (check.value, check.flags, nil) }
        if let value = correction.apply(pm: raw, relativeHumidity: humidity) { return (value, check.flags, correction.id) }
        return (nil, check.flags + [.noHumidity], nil)
    }

    /// A stored PM2.5 hour of a corrected low-cost sensor corrected again with its hour's humidity as
    /// it now is (sent again, or sent after the PM2.5): its checks stand, only the correction is redone.
    public static func recorrected(_ hour: AirHour, sensor: AirSensor, humidity: Double?, corrections: SensorCorrections = .shipped) -> AirHour {
        guard hour.parameter == .pm25, sensor.grade == .lowCost, let correction = sensor.correction.flatMap({ corrections.correction($0) }) else { return hour }
        let checks = hour.flags.filter { $0 != .noHumidity }
        let check = SensorQC.Checked(raw: hour.raw, value: checks.isEmpty ? hour.raw : nil, flags: checks)
        let (value, flags, used) = corrected(check, by: correction, humidity: humidity)
        return AirHour(sensor: hour.sensor, parameter: hour.parameter, hour: hour.hour, raw: hour.raw, value: value, flags: flags, correction: used)
    }
}
