import CarbonKit

/// OpenAQ API v3: a sensor's `/v3/sensors/{id}/measurements` or `/hours` answer, `{"results": […]}`.
/// Each result has `value`, `parameter {name, units}` and `period {datetimeFrom.utc, datetimeTo.utc}`;
/// an hour's period keeps OpenAQ's `coverage.percentComplete`, a finer one is a sample of its hour.
extension AirFeed.Reader {
    static let openAQParameters: [String: AirParameter] = [
        "pm25": .pm25, "pm10": .pm10, "no2": .no2, "o3": .o3, "so2": .so2, "co": .co, "relativehumidity": .rh, "temperature": .t,
    ]

    mutating func openAQ(_ node: JSONNode) throws(InputErrors) {
        guard let results = Self.array(Self.object(node)?["results"]) else {
            throw InputErrors([InputIssue(InputLocation(field: "results"), reason: "an OpenAQ v3 answer holds its values in results")])
        }
        var seen: [String: String] = [:]
        for (index, result) in results.enumerated() {
            let place = "results[\(index)]"
            guard let item = Self.object(result) else { fail(place, result, "is not an object"); continue }
            let parameter = Self.object(item["parameter"])
            guard let name = Self.text(parameter?["name"]) else { fail("\(place).parameter.name", parameter?["name"], "names the parameter"); continue }
            guard let kept = Self.openAQParameters[name.lowercased()] else { skipped[name, default: 0] += 1; continue }
            if case .null? = item["value"] { continue }
            guard let raw = Self.number(item["value"]) else { fail("\(place).value", item["value"], "is not a number"); continue }
            let units = Self.text(parameter?["units"]) ?? ""
            guard let value = Self.convert(raw, kept, unit: units) else {
                fail("\(place).parameter.units", parameter?["units"], "is not a unit \(name) converts from to \(kept.unit)"); continue
            }
            let period = Self.object(item["period"])
            let fromText = Self.text(Self.object(period?["datetimeFrom"])?["utc"]), toText = Self.text(Self.object(period?["datetimeTo"])?["utc"])
            guard let from = fromText.flatMap(RFC3339.wholeSeconds), let to = toText.flatMap(RFC3339.wholeSeconds), to > from else {
                fail("\(place).period", item["period"], "needs datetimeFrom.utc before datetimeTo.utc, in whole seconds"); continue
            }
            let length = to - from
            if length == 3600, from.floorModulo(3600) == 0 {
                let covered = Self.object(item["coverage"])?["percentComplete"]
                let coverage = Self.number(covered)
                if let covered, !(covered == .null), !(coverage.map { (0...100).contains($0) } ?? false) {
                    fail("\(place).coverage.percentComplete", covered, "is a percentage from 0 to 100"); continue
                }
                if let coverage, coverage < qc.completeness_percent { incomplete += 1; continue }
                hour(AirHourSheet.Row(sensor: sensor, hour: from, parameter: kept, value: value), place: "\(place).period", seen: &seen)
            } else if length < 3600, 3600 % length == 0 {
                sample(AirFeed.Sample(parameter: kept, time: from, value: value, b: nil), expected: Int(3600 / length), place: "\(place).period")
            } else {
                fail("\(place).period", item["period"], "is neither an hour from its start nor a part of an hour (OpenAQ's days and months are not the network's hours)")
            }
        }
    }
}
