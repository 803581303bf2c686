import CarbonKit
import Foundation

/// The platform's own JSON batch: `{"readings": [{"datastream": "elec-main", "time":
/// "2026-11-25T08:15:00+08:00", "value": 12.5}, …]}` (or just the list). `time` may also be
/// epoch seconds.
public enum ReadingJSON {
    struct Batch: Decodable {
        let readings: [Item]
        init(from decoder: any Decoder) throws {
            if let list = try? decoder.singleValueContainer().decode([Item].self) {
                readings = list
            } else {
                readings = try decoder.container(keyedBy: CodingKeys.self).decode([Item].self, forKey: .readings)
            }
        }
        enum CodingKeys: String, CodingKey { case readings }
    }

    struct Item: Decodable {
        let datastream: String
        let time: TimeValue
        let value: Double
    }

    public static func parse(_ bytes: [UInt8], file: String) throws(InputErrors) -> [Reading] {
        let batch: Batch
        if let nul = InputIssue.escapedNul(in: bytes, file: file) { throw InputErrors([nul]) }
        do {
            batch = try JSONDecoder().decode(Batch.self, from: Data(bytes))
        } catch let error as DecodingError {
            throw InputErrors([InputIssue(error, file: file, subject: "a batch of readings")])
        } catch {
            throw InputErrors([InputIssue(InputLocation(file: file), reason: "is not a batch of readings: \(error)")])
        }
        var issues: [InputIssue] = []
        var readings: [Reading] = []
        readings.reserveCapacity(batch.readings.count)
        for (i, item) in batch.readings.enumerated() {
            guard let time = item.time.seconds else {
                issues.append(InputIssue(InputLocation(file: file, field: "readings[\(i)].time"), value: item.time.text,
                                         reason: "not a time", suggestion: Timestamp.expected))
                continue
            }
            guard !item.datastream.isEmpty else {
                issues.append(InputIssue(InputLocation(file: file, field: "readings[\(i)].datastream"), value: "", reason: "empty"))
                continue
            }
            readings.append(Reading(datastream: item.datastream, time: time, value: item.value))
        }
        guard issues.isEmpty else { throw InputErrors(Array(issues.prefix(100))) }
        return readings
    }
}

/// A time given as ISO 8601 text or as epoch seconds.
struct TimeValue: Decodable {
    let seconds: UnixSeconds?
    let text: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            seconds = Timestamp.epoch(number)
            text = "\(number)"
        } else {
            text = try container.decode(String.self)
            seconds = Timestamp.parse(text)
        }
    }
}
