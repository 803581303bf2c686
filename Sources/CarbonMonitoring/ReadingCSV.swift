import Foundation
import CarbonKit

/// Reads a batch of readings from CSV: a header naming `datastream`, `time` and `value` (in any
/// order, other columns ignored), then one reading per row. Times are ISO 8601 with a zone or
/// epoch seconds. Every bad cell is reported by row, column and value; nothing is returned
/// unless every row is good.
public enum ReadingCSV {
    public static func parse(_ bytes: [UInt8], file: String) throws(InputErrors) -> [Reading] {
        var result: Result<[Reading], InputErrors> = .success([])
        bytes.withUnsafeBufferPointer { buffer in
            do throws(InputErrors) { result = .success(try parse(buffer, file: file)) } catch { result = .failure(error) }
        }
        return try result.get()
    }

    public static func parse(_ buffer: UnsafeBufferPointer<UInt8>, file: String) throws(InputErrors) -> [Reading] {
        let header = try header(buffer, file: file)
        return try rows(buffer, from: header.end, to: buffer.count, firstLine: header.line + 1, columns: header.columns, file: file)
    }

    /// Where the three columns are, as the header names them.
    public struct Columns: Sendable, Hashable {
        public let datastream: Int
        public let time: Int
        public let value: Int
        public let count: Int
    }

    /// Reads the header line; returns the columns, the offset just after the header and its line.
    public static func header(_ buffer: UnsafeBufferPointer<UInt8>, file: String) throws(InputErrors) -> (columns: Columns, end: Int, line: Int) {
        var start = 0
        if buffer.count >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { start = 3 }
        var scanner = CSVScanner(bytes: buffer, start: start)
        var record = CSVRecord()
        guard scanner.next(into: &record) else {
            throw InputErrors([InputIssue(InputLocation(file: file, row: 1), reason: "empty file: expected a header datastream,time,value")])
        }
        let header = record.fields.map { scanner.string($0).trimmingCharacters(in: .whitespaces).lowercased() }
        var columns: [String: Int] = [:]
        for (i, name) in header.enumerated() where columns[name] == nil { columns[name] = i }
        let missing = ["datastream", "time", "value"].filter { columns[$0] == nil }
        guard missing.isEmpty else {
            throw InputErrors([InputIssue(InputLocation(file: file, row: record.line), value: header.joined(separator: ","),
                                          reason: "missing column\(missing.count > 1 ? "s" : "") \(missing.joined(separator: ", "))")])
        }
        return (Columns(datastream: columns["datastream"]!, time: columns["time"]!, value: columns["value"]!, count: header.count),
                scanner.position, record.line)
    }

    /// Reads the rows between two offsets (whole lines), numbering them from `firstLine`.
    public static func rows(_ buffer: UnsafeBufferPointer<UInt8>, from: Int, to: Int, firstLine: Int, columns: Columns,
                            file: String) throws(InputErrors) -> [Reading] {
        var scanner = CSVScanner(bytes: buffer, start: from, end: to, firstLine: firstLine)
        var record = CSVRecord()
        let (ds, tc, vc) = (columns.datastream, columns.time, columns.value)
        var readings: [Reading] = []
        readings.reserveCapacity((to - from) / 40)
        var issues: [InputIssue] = []
        var names: [Int: [String]] = [:]  // interning by hash keeps one String per datastream
        while scanner.next(into: &record) {
            if record.fields.count == 1, record.fields[0].isEmpty { continue }
            func location(_ column: Int, _ name: String) -> InputLocation {
                InputLocation(file: file, row: record.line, column: column + 1, field: name)
            }
            guard record.fields.count > max(ds, tc, vc) else {
                issues.append(InputIssue(InputLocation(file: file, row: record.line), reason: "has \(record.fields.count) fields, the header \(columns.count)"))
                if issues.count >= 100 { break } else { continue }
            }
            let nameRange = scanner.trimmedRange(record.fields[ds])
            let timeRange = scanner.trimmedRange(record.fields[tc])
            let valueRange = scanner.trimmedRange(record.fields[vc])
            let name = intern(buffer, nameRange, &names)
            guard !name.isEmpty else {
                issues.append(InputIssue(location(ds, "datastream"), value: "", reason: "empty"))
                if issues.count >= 100 { break } else { continue }
            }
            let time = Timestamp.parse(bytes: UnsafeBufferPointer(rebasing: buffer[timeRange])) ?? epoch(buffer, timeRange)
            guard let time else {
                issues.append(InputIssue(location(tc, "time"), value: scanner.string(record.fields[tc]),
                                         reason: "not a time", suggestion: Timestamp.expected))
                if issues.count >= 100 { break } else { continue }
            }
            guard let value = number(buffer, valueRange), value.isFinite else {
                issues.append(InputIssue(location(vc, "value"), value: scanner.string(record.fields[vc]), reason: "not a number"))
                if issues.count >= 100 { break } else { continue }
            }
            readings.append(Reading(datastream: name, time: time, value: value))
        }
        guard issues.isEmpty else { throw InputErrors(issues) }
        return readings
    }

    private static func intern(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ names: inout [Int: [String]]) -> String {
        let slice = UnsafeBufferPointer(rebasing: buffer[range])
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(slice))
        let hash = hasher.finalize()
        if let candidates = names[hash] {
            for candidate in candidates where candidate.utf8.elementsEqual(slice) { return candidate }
        }
        let name = String(decoding: slice, as: UTF8.self)
        names[hash, default: []].append(name)
        return name
    }

    private static func epoch(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UnixSeconds? {
        number(buffer, range).flatMap(Timestamp.epoch)
    }

    private static func number(_ buffer: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Double? {
        guard !range.isEmpty else { return nil }
        return DecimalParser.parse(buffer.baseAddress! + range.lowerBound, range.count)
    }
}

extension ReadingCSV {
    /// The line of each of the first `count` data rows (blank lines skipped), for error messages
    /// about readings found bad after parsing (an unknown datastream).
    public static func lineNumbers(_ buffer: UnsafeBufferPointer<UInt8>, from: Int, firstLine: Int, count: Int) -> [Int32] {
        var scanner = CSVScanner(bytes: buffer, start: from, firstLine: firstLine)
        var record = CSVRecord()
        var lines: [Int32] = []
        lines.reserveCapacity(count)
        while lines.count < count, scanner.next(into: &record) {
            if record.fields.count == 1, record.fields[0].isEmpty { continue }
            lines.append(Int32(record.line))
        }
        return lines
    }
}
