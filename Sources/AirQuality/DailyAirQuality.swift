import Foundation

/// Air quality over a set of sensors (a district's, or the city's) from their stored hours, for a
/// day or for an hour. Each table of the standard's index is read off its name: `pm25_24h` is a
/// 24-hour mean, `o3_8h` an 8-hour mean, `no2_1h` an hourly value. For a day: 24-hour means over
/// the day, the highest 8-hour mean and the highest hour. For an hour (the real-time index): the
/// means ending with that hour, and the hour itself. A mean needs 75 % of its hours (18 of 24, 6
/// of 8). Each sensor's value first, then the mean over sensors; reference monitors speak for
/// the area when any has a value, low-cost sensors only where none has.
public struct DailyAirQuality: Sendable, Equatable {
    /// The day (`YYYY-MM-DD`), or the hour's start as Unix seconds for the real-time index.
    public var day: String
    /// Concentration by index table (`pm25_24h`, `o3_8h` …).
    public var concentrations: [String: Double]
    /// Sensors whose values made each table's concentration.
    public var sensors: [String: [String]]
    public var grade: AirSensor.Grade?
    public var index: AirQualityIndex?

    /// A table's parameter and averaging hours: `pm25_24h` → (pm25, 24).
    static func parse(_ table: String) -> (AirParameter, Int)? {
        let parts = table.split(separator: "_")
        guard parts.count == 2, let parameter = AirParameter(rawValue: String(parts[0])), parts[1].hasSuffix("h"),
              let hours = Int(parts[1].dropLast()), [1, 8, 24].contains(hours) else { return nil }
        return (parameter, hours)
    }

    /// A day's index; `start` is the day's first hour in Unix seconds (local midnight).
    public static func compute(day: String, start: Int64, hours: [AirHour], sensors: [String: AirSensor], standard: AQIStandard,
                               qc: SensorQC = .shipped) -> DailyAirQuality {
        combine(label: day, tables: standard.daily, hours: hours, sensors: sensors, standard: standard, kind: .daily) { slotsOf in
            let slots = slotsOf(start, 24)
            return { averaging in dayValue(slots[...], averaging: averaging, qc: qc) }
        }
    }

    /// The real-time index of the hour starting at `hour`: means ending with it, and its own values.
    public static func realtime(hour: Int64, hours: [AirHour], sensors: [String: AirSensor], standard: AQIStandard,
                                qc: SensorQC = .shipped) -> DailyAirQuality {
        combine(label: String(hour), tables: standard.realtime, hours: hours, sensors: sensors, standard: standard, kind: .realtime) { slotsOf in
            let slots = slotsOf(hour - 23 * 3600, 24)
            return { averaging in hourValue(slots[...], averaging: averaging, qc: qc) }
        }
    }

    /// A day's value of a table averaged over `averaging` hours, from the day's 24 hourly slots.
    /// A day needs the day: 18 of its hours for a mean or its highest hour, and 14 valid 8-hour
    /// means for the highest of them (GB 3095 and HJ 663's validity rules); an 8-hour mean may
    /// start in the day's last hours only if it ends within it.
    public static func dayValue(_ slots: ArraySlice<Double?>, averaging: Int, qc: SensorQC) -> Double? {
        precondition(slots.count == 24, "a day has 24 hourly slots")
        let first = slots.startIndex
        switch averaging {
        case 24: return qc.mean(present: slots, expected: 24).mean
        case 8:
            var highest: Double?, valid = 0
            for offset in 0...16 {
                guard let mean = qc.mean(present: slots[(first + offset)..<(first + offset + 8)], expected: 8).mean else { continue }
                valid += 1
                highest = max(highest ?? mean, mean)
            }
            return valid >= 14 ? highest : nil
        default:
            var highest: Double?, valid = 0
            for case let value? in slots {
                valid += 1
                highest = max(highest ?? value, value)
            }
            return Double(valid) >= 24 * qc.completeness_percent / 100 ? highest : nil
        }
    }

    /// The real-time value of a table averaged over `averaging` hours, from the 24 hourly slots
    /// ending with the hour: the hour itself, or the mean of the last `averaging` slots.
    public static func hourValue(_ slots: ArraySlice<Double?>, averaging: Int, qc: SensorQC) -> Double? {
        precondition(slots.count == 24, "the real-time window has 24 hourly slots")
        return averaging == 1 ? slots[slots.endIndex - 1] : qc.mean(present: slots[(slots.endIndex - averaging)...], expected: averaging).mean
    }

    /// `reader` is given a way to lay a sensor's parameter out in hourly slots from a start, and
    /// returns the value of a table by its averaging hours.
    private static func combine(label: String, tables: [String], hours: [AirHour], sensors: [String: AirSensor], standard: AQIStandard,
                                kind: AirQualityIndex.Kind,
                                reader: (_ slotsOf: (Int64, Int) -> [Double?]) -> (Int) -> Double?) -> DailyAirQuality {
        var perSensor: [AirSensor.Grade: [String: [(sensor: String, value: Double)]]] = [:]
        let bySensor = Dictionary(grouping: hours, by: \.sensor)
        for (code, own) in bySensor {
            guard let sensor = sensors[code] else { continue }
            let byParameter = Dictionary(grouping: own, by: \.parameter)
            for table in tables {
                guard let (parameter, averaging) = parse(table), let series = byParameter[parameter] else { continue }
                let read = reader { start, count in
                    var slots = [Double?](repeating: nil, count: count)
                    for hour in series where hour.hour >= start && hour.hour < start + Int64(count) * 3600 {
                        slots[Int((hour.hour - start) / 3600)] = hour.value
                    }
                    return slots
                }
                // Stored in the network's unit; indexed in the table's (the US EPA's ppb and ppm).
                if let stored = read(averaging), let unit = standard.tables[table]?.unit,
                   let value = GasConversion.shipped.convert(stored, parameter: parameter, from: parameter.unit, to: unit) {
                    perSensor[sensor.grade, default: [:]][table, default: []].append((code, value))
                }
            }
        }
        let grade: AirSensor.Grade? = perSensor[.reference]?.isEmpty == false ? .reference
            : perSensor[.lowCost]?.isEmpty == false ? .lowCost : nil
        var concentrations: [String: Double] = [:]
        var used: [String: [String]] = [:]
        for (table, values) in grade.flatMap({ perSensor[$0] }) ?? [:] {
            concentrations[table] = values.reduce(0) { $0 + $1.value } / Double(values.count)
            used[table] = values.map(\.sensor).sorted()
        }
        return DailyAirQuality(day: label, concentrations: concentrations, sensors: used, grade: grade,
                               index: AirQualityIndex.compute(concentrations, standard: standard, kind: kind))
    }
}
