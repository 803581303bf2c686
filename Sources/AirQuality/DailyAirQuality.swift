import Foundation

/// A day's air quality over a set of sensors (a district's, or the city's), from their stored hours:
/// each sensor's daily means (at least 75 % of the day's hours), O3's highest hour and highest
/// 8-hour mean (a window needs 6 of its 8 hours), then the mean over sensors, and the daily index
/// under the standard in force that day. Reference monitors speak for the area when any has a
/// complete day; low-cost sensors only where none has.
public struct DailyAirQuality: Sendable, Equatable {
    public var day: String
    /// Concentration by index table (`pm25_24h`, `o3_8h` …).
    public var concentrations: [String: Double]
    /// Sensors whose values made each table's concentration.
    public var sensors: [String: [String]]
    public var grade: AirSensor.Grade?
    public var index: AirQualityIndex?

    /// `hours` are the stored hours of the sensors (any days; only `day`'s are used), `start` the
    /// day's first hour in Unix seconds (local midnight).
    public static func compute(day: String, start: Int64, hours: [AirHour], sensors: [String: AirSensor], standard: AQIStandard,
                               qc: SensorQC = .shipped) -> DailyAirQuality {
        let inDay = hours.filter { $0.hour >= start && $0.hour < start + 86_400 }
        var perSensor: [AirSensor.Grade: [String: [(sensor: String, value: Double)]]] = [:]
        for (code, own) in Dictionary(grouping: inDay, by: \.sensor) {
            guard let sensor = sensors[code] else { continue }
            for (parameter, series) in Dictionary(grouping: own, by: \.parameter) {
                var slots = [Double?](repeating: nil, count: 24)
                for hour in series { slots[Int((hour.hour - start) / 3600)] = hour.value }
                let checked = slots.map { SensorQC.Checked(raw: $0, value: $0, flags: $0 == nil ? [.missing] : []) }
                switch parameter {
                case .o3:
                    if let highest = slots.compactMap({ $0 }).max() {
                        perSensor[sensor.grade, default: [:]]["o3_1h", default: []].append((code, highest))
                    }
                    let windows = (0...16).compactMap { first -> Double? in
                        let window = slots[first..<(first + 8)].compactMap { $0 }
                        return window.count >= 6 ? window.reduce(0, +) / Double(window.count) : nil
                    }
                    if let highest = windows.max() { perSensor[sensor.grade, default: [:]]["o3_8h", default: []].append((code, highest)) }
                case .pm25, .pm10, .no2, .so2, .co:
                    if let mean = qc.mean(of: checked, expected: 24).mean {
                        perSensor[sensor.grade, default: [:]]["\(parameter.rawValue)_24h", default: []].append((code, mean))
                    }
                case .rh, .t:
                    continue
                }
            }
        }
        let grade: AirSensor.Grade? = perSensor[.reference]?.isEmpty == false ? .reference : perSensor[.lowCost]?.isEmpty == false ? .lowCost : nil
        let chosen = grade.flatMap { perSensor[$0] } ?? [:]
        var concentrations: [String: Double] = [:]
        var used: [String: [String]] = [:]
        for (table, values) in chosen {
            concentrations[table] = values.reduce(0) { $0 + $1.value } / Double(values.count)
            used[table] = values.map(\.sensor).sorted()
        }
        return DailyAirQuality(day: day, concentrations: concentrations, sensors: used, grade: grade,
                               index: AirQualityIndex.compute(concentrations, standard: standard, kind: .daily))
    }
}
