import CarbonKit

/// One batch of readings as a client sends it — a CSV, a JSON batch or an RFC 8428 SenML
/// pack — decoded the same way for the HTTP API and the command line: the readings, the
/// unit each was sent in (SenML's `u`; nil when all are in their datastream's unit), and
/// where reading *i* came from for error messages (its CSV row, its JSON or SenML index).
public struct ReadingPayload: Sendable {
    public enum Format: String, Sendable, CaseIterable { case csv, json, senml }

    public var readings: [Reading]
    public var units: [String?]?
    /// The location of each reading, by index.
    public var locations: [InputLocation]

    public func locate(_ i: Int) -> InputLocation { i < locations.count ? locations[i] : InputLocation(field: "[\(i)]") }

    /// - Parameter now: the server's clock, for SenML's relative times (RFC 8428 §4.5.3).
    public static func decode(_ bytes: [UInt8], format: Format, source: String, now: UnixSeconds) throws(InputErrors) -> ReadingPayload {
        switch format {
        case .csv:
            var lines: [Int32] = []
            let readings = try bytes.withUnsafeBufferPointer { buffer throws(InputErrors) in
                let header = try ReadingCSV.header(buffer, file: source)
                let parsed = try ReadingCSV.rows(buffer, from: header.end, to: buffer.count, firstLine: header.line + 1, columns: header.columns, file: source)
                lines = ReadingCSV.lineNumbers(buffer, from: header.end, firstLine: header.line + 1, count: parsed.count)
                return parsed
            }
            return ReadingPayload(readings: readings, units: nil, locations: lines.map { InputLocation(file: source, row: Int($0)) })
        case .json:
            let readings = try ReadingJSON.parse(bytes, file: source)
            return ReadingPayload(readings: readings, units: nil,
                                  locations: readings.indices.map { InputLocation(file: source, field: "readings[\($0)].datastream") })
        case .senml:
            let entries = try SenML.parse(bytes, file: source, now: now)
            return ReadingPayload(readings: entries.map(\.reading), units: entries.map(\.unit),
                                  locations: entries.map { InputLocation(file: source, field: "[\($0.index)]") })
        }
    }
}
