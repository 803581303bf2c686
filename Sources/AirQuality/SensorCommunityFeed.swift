import CarbonKit

/// Sensor.Community (formerly Luftdaten): `/airrohr/v1/sensor/{id}/` and the `static/v1` files, an
/// array of readings `{timestamp, sensordatavalues: [{value_type, value}]}` with the time in UTC
/// as `2024-01-01 12:34:56`. `P1` is PM10 and `P2` PM2.5; each reading is a sample of its hour.
extension AirFeed.Reader {
    static let sensorCommunityTypes: [String: AirParameter] = ["P1": .pm10, "P2": .pm25, "temperature": .t, "humidity": .rh]

    mutating func sensorCommunity(_ node: JSONNode, sampleSeconds: Int) throws(InputErrors) {
        guard let readings = Self.array(node) else {
            throw InputErrors([InputIssue(InputLocation(), reason: "a Sensor.Community answer is an array of readings")])
        }
        guard sampleSeconds > 0, sampleSeconds <= 3600 else {
            throw InputErrors([InputIssue(InputLocation(field: "sample-seconds"), value: String(sampleSeconds), reason: "is from 1 to 3600")])
        }
        let expected = max(1, 3600 / sampleSeconds)
        for (index, reading) in readings.enumerated() {
            let place = "[\(index)]"
            guard let item = Self.object(reading) else { fail(place, reading, "is not an object"); continue }
            guard let stamp = Self.text(item["timestamp"]), let time = RFC3339.wholeSeconds(stamp.replacingOccurrences(of: " ", with: "T") + (stamp.hasSuffix("Z") ? "" : "Z")) else {
                fail("\(place).timestamp", item["timestamp"], "is a UTC time in whole seconds like 2024-01-01 12:34:56"); continue
            }
            guard let values = Self.array(item["sensordatavalues"]) else { fail("\(place).sensordatavalues", nil, "lists the reading's values"); continue }
            for (position, entry) in values.enumerated() {
                let field = "\(place).sensordatavalues[\(position)]"
                let value = Self.object(entry)
                guard let type = Self.text(value?["value_type"]) else { fail("\(field).value_type", value?["value_type"], "names the value"); continue }
                guard let parameter = Self.sensorCommunityTypes[type] else { skipped[type, default: 0] += 1; continue }
                // Sensor.Community sends its values as text: "12.30".
                guard let number = Self.number(value?["value"], text: true) else { fail("\(field).value", value?["value"], "is not a decimal number"); continue }
                sample(AirFeed.Sample(parameter: parameter, time: time, value: number, b: nil), expected: expected, place: "\(place).timestamp")
            }
        }
    }
}
