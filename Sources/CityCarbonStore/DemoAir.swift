import AirQuality
import CarbonKit
import CityProgramme
import Foundation

/// The demo city's air network: a reference station in each of the first two districts and a
/// low-cost PurpleAir-type sensor in every district, with three days of hours up to now, loaded
/// as an owner would send them (through the same checks and correction). One sensor's channels
/// disagree for a few hours and one sits stuck for a morning, so the QA columns have something to show.
public enum DemoAir {
    public static func seed(_ database: CityCarbonDatabase, by actor: String, now: Date = Date()) throws {
        let tree = try JurisdictionRepository(database).tree()
        guard let city = tree.roots.first else { return }
        let districts = tree.children(of: city)
        guard !districts.isEmpty else { return }
        let network = AirNetwork(database)
        var sensors: [AirSensor] = []
        let centres = try Self.centres(try BoundaryRepository(database).featureCollection())
        for (index, district) in districts.enumerated() {
            // In its district: the middle of the district's outline where it has one.
            let (x, y) = centres[district] ?? (120.1 + Double(index) * 0.03, 30.2 + Double(index) * 0.02)
            // North of the middle, where a map writes the district's name.
            let (longitude, latitude) = (x - 0.006, y + 0.012)
            if index < 2 {
                sensors.append(AirSensor(code: "station-\(index + 1)", name: "\(district) monitoring station", owner: "Ecology and Environment Bureau",
                                         model: "BAM-1020 / chemiluminescence NOx / UV O3", grade: .reference, latitude: latitude, longitude: longitude + 0.014,
                                         district: district))
            }
            sensors.append(AirSensor(code: "pa-\(index + 1)", name: "\(district) school gate", owner: index % 2 == 0 ? "Clean Air NGO" : "District office",
                                     model: "PurpleAir PA-II", grade: .lowCost, latitude: latitude, longitude: longitude,
                                     district: district, correction: SensorCorrections.shipped.pinned))
        }
        for sensor in sensors { try network.register(sensor, by: actor) }
        let offset = Int64(try CitySettingsRepository(database).current().utcOffsetMinutes) * 60
        let thisHour = Int64(now.timeIntervalSince1970) / 3600 * 3600
        // A week of hours, so the office's seven-day view is whole; the last three days are the ones the pages were first drawn from.
        let week = 168
        let first = thisHour - Int64(week - 1) * 3600
        var lines = ["sensor,hour,parameter,value,value_b"]
        func time(_ hour: Int64) -> String {
            let local = hour + offset
            let day = Day(ordinal: Day(year: 1970, month: 1, day: 1)!.ordinal + Int(local / 86_400))
            let sign = offset >= 0 ? "+" : "-"
            return String(format: "%@T%02d:00:00%@%02d:%02d", day.description, Int(local % 86_400) / 3600, sign, abs(offset) / 3600, abs(offset) % 3600 / 60)
        }
        for (index, sensor) in sensors.enumerated() {
            let district = Double(districts.firstIndex(of: sensor.district ?? "") ?? 0)
            for position in 0..<week {
                let hour = first + Int64(position) * 3600
                // Counted from the start of the last three days: earlier days are negative.
                let step = position - (week - 72)
                let local = Int((hour + offset) % 86_400 / 3600)
                let day = max(-2, Double(step >= 0 ? step / 24 : (step - 23) / 24))
                // Particles build up overnight and in the evening rush; a front clears the air on the last day.
                let rush = local >= 7 && local <= 9 || local >= 17 && local <= 20 ? 14.0 : 0
                let pm25 = max(3, 38 + 6 * district - 9 * day + rush + 8 * sin(Double(local) / 24 * 2 * .pi) + Double((step * 7 + index * 3) % 5))
                let no2 = 28 + 4 * district + rush * 2.2 + Double((step * 5 + index) % 7)
                let o3 = max(8, 40 + 70 * max(0, sin((Double(local) - 8) / 12 * .pi)) - 3 * district)
                let rh = min(95, 55 + 20 * cos(Double(local) / 24 * 2 * .pi) + Double(index % 3))
                let at = time(hour)
                if sensor.grade == .reference {
                    lines.append("\(sensor.code),\(at),pm25,\(String(format: "%.1f", pm25)),")
                    lines.append("\(sensor.code),\(at),pm10,\(String(format: "%.0f", pm25 * 1.7)),")
                    lines.append("\(sensor.code),\(at),no2,\(String(format: "%.0f", no2)),")
                    lines.append("\(sensor.code),\(at),o3,\(String(format: "%.0f", o3)),")
                    lines.append("\(sensor.code),\(at),so2,\(String(format: "%.0f", 6 + district)),")
                    lines.append("\(sensor.code),\(at),co,\(String(format: "%.2f", 0.5 + 0.05 * district + rush / 100)),")
                } else {
                    // Raw PurpleAir reads about 1.6 × the reference here; channel B of pa-2 fails for five hours, pa-3 sticks one morning.
                    var a = pm25 * 1.6 + 4, b = pm25 * 1.6 + 3
                    if sensor.code == "pa-2", (30..<35).contains(step) { b = a * 4 + 40 }
                    if sensor.code == "pa-3", (50..<57).contains(step) { a = 61; b = 61 }
                    lines.append("\(sensor.code),\(at),pm25,\(String(format: "%.1f", a)),\(String(format: "%.1f", b))")
                    lines.append("\(sensor.code),\(at),rh,\(String(format: "%.0f", rh)),")
                }
            }
        }
        _ = try network.load(Array(lines.joined(separator: "\n").utf8), file: "demo/air-hours.csv", by: actor)
        // The school gate beside the station: its raw readings, about 1.6 × the station's, miss EPA's slope target, as uncorrected PurpleAirs do.
        if sensors.contains(where: { $0.code == "station-1" }) {
            _ = try AirCollocations(database).run(sensor: "pa-1", reference: "station-1", parameter: .pm25, from: first, to: thisHour + 3600, by: actor)
        }
    }

    /// The middle of each district's outline (the centre of its box), by name.
    static func centres(_ geoJSON: String) throws -> [String: (Double, Double)] {
        guard let root = try JSONSerialization.jsonObject(with: Data(geoJSON.utf8)) as? [String: Any],
              let features = root["features"] as? [[String: Any]] else { return [:] }
        var found: [String: (Double, Double)] = [:]
        for feature in features {
            guard let name = (feature["properties"] as? [String: Any])?["name"] as? String,
                  let geometry = feature["geometry"] as? [String: Any] else { continue }
            var points: [(Double, Double)] = []
            func walk(_ value: Any) {
                if let pair = value as? [NSNumber], pair.count >= 2 { points.append((pair[0].doubleValue, pair[1].doubleValue)); return }
                for item in value as? [Any] ?? [] { walk(item) }
            }
            walk(geometry["coordinates"] ?? [])
            guard let minX = points.map(\.0).min(), let maxX = points.map(\.0).max(), let minY = points.map(\.1).min(),
                  let maxY = points.map(\.1).max() else { continue }
            found[name] = ((minX + maxX) / 2, (minY + maxY) / 2)
        }
        return found
    }
}
