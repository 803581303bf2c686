import CarbonKit

/// PurpleAir API v1: a sensor's `/v1/sensors/{index}/history` answer, `{"fields": [...], "data": [[...]],
/// "average": 60}`, with `time_stamp` in seconds. PM2.5 is read from the `cf_1` channels A and B,
/// the input EPA's correction was fitted on; temperature comes in °F. An `average` of 60 is
/// hourly; a shorter one (0 is every two minutes) is a sample of its hour.
extension AirFeed.Reader {
    mutating func purpleAir(_ node: JSONNode, sampleSeconds: Int) throws(InputErrors) {
        guard let body = Self.object(node), let fields = Self.array(body["fields"])?.map({ Self.text($0) ?? "" }), let data = Self.array(body["data"]) else {
            throw InputErrors([InputIssue(InputLocation(), reason: "a PurpleAir history answer has fields and data")])
        }
        func column(_ names: String...) -> Int? { names.lazy.compactMap { fields.firstIndex(of: $0) }.first }
        guard let time = column("time_stamp") else { throw InputErrors([InputIssue(InputLocation(field: "fields"), reason: "must name time_stamp")]) }
        let pmA = column("pm2.5_cf_1_a", "pm2.5_cf_1"), pmB = column("pm2.5_cf_1_b")
        if pmA == nil, column("pm2.5_atm_a", "pm2.5_atm", "pm2.5_alt_a") != nil {
            throw InputErrors([InputIssue(InputLocation(field: "fields"), value: fields.joined(separator: ","),
                                          reason: "EPA's correction takes PurpleAir's cf_1 PM2.5: ask for pm2.5_cf_1_a and pm2.5_cf_1_b")])
        }
        let pm10A = column("pm10.0_atm_a", "pm10.0_atm"), pm10B = column("pm10.0_atm_b")
        let humidity = column("humidity", "humidity_a"), temperature = column("temperature", "temperature_a")
        // Minutes as PurpleAir names them; anything else (60.5, 1e308) is refused before it becomes a whole number.
        let averaging = body["average"].map { Self.number($0) } ?? 60
        guard let average = averaging.flatMap({ [0.0, 10, 30, 60].contains($0) ? Int($0) : nil }) else {
            throw InputErrors([InputIssue(InputLocation(field: "average"), value: body["average"].map { String($0.shown.prefix(40)) },
                                          reason: "is 0, 10, 30 or 60 minutes")])
        }
        let seconds = average == 0 ? sampleSeconds : average * 60
        guard seconds > 0, seconds <= 3600, 3600 % seconds == 0 else {
            throw InputErrors([InputIssue(InputLocation(field: "sample-seconds"), value: String(seconds), reason: "divides an hour")])
        }
        let used = Set([time, pmA, pmB, pm10A, pm10B, humidity, temperature].compactMap { $0 })
        for (index, name) in fields.enumerated() where !used.contains(index) { skipped[name, default: 0] += data.count }
        var seen: [String: String] = [:]
        for (index, row) in data.enumerated() {
            let place = "data[\(index)]"
            guard let cells = Self.array(row), cells.count == fields.count else { fail(place, row, "has \(fields.count) values, one per field"); continue }
            guard let stamp = Self.number(cells[time]), stamp == stamp.rounded(), abs(stamp) < 1e11 else { fail("\(place)[\(time)]", cells[time], "is a time in seconds"); continue }
            let when = Int64(stamp)
            func value(_ column: Int?) -> Double? {
                guard let column else { return nil }
                if case .null = cells[column] { return nil }
                guard let number = Self.number(cells[column]) else { fail("\(place)[\(column)]", cells[column], "is not a number"); return nil }
                return number
            }
            func add(_ parameter: AirParameter, _ a: Double?, _ b: Double?) {
                // One channel missing: the other stands alone, and the hour is not checked for agreement.
                let (a, b) = a == nil ? (b, nil) : (a, b)
                guard let a else { return }
                if seconds == 3600 {
                    guard when.floorModulo(3600) == 0 else { fail("\(place)[\(time)]", cells[time], "is not an hour's start, as average 60 gives"); return }
                    hour(AirHourSheet.Row(sensor: sensor, hour: when, parameter: parameter, value: a, valueB: b), place: "\(place)[\(time)]", seen: &seen)
                } else {
                    sample(AirFeed.Sample(parameter: parameter, time: when, value: a, b: b), expected: 3600 / seconds, place: "\(place)[\(time)]")
                }
            }
            add(.pm25, value(pmA), value(pmB))
            let pm10 = [value(pm10A), value(pm10B)].compactMap { $0 }
            if !pm10.isEmpty { add(.pm10, pm10.reduce(0, +) / Double(pm10.count), nil) }
            if let rh = value(humidity) { add(.rh, rh, nil) }
            if let f = value(temperature) { add(.t, (f - 32) * 5 / 9, nil) }
        }
    }
}
