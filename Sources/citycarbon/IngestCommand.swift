import ArgumentParser
import CarbonKit
import CarbonMonitoring
import CityCarbonStore
import Foundation

/// `citycarbon ingest FILE|-`: meter readings from a file or a pipe, checked whole, then
/// written in durable batches with progress.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Ingest meter and sensor readings (CSV, JSON batch or SenML) into the workspace.",
        discussion: """
        CSV: a header naming datastream, time and value (any order), one reading per row; times
        in ISO 8601 with a zone (2026-11-25T08:15:00+08:00) or epoch seconds. JSON: {"readings":
        [{"datastream": …, "time": …, "value": …}]}. SenML: an RFC 8428 JSON pack.

        The whole input is read and checked first: if any row is bad (unknown datastream, bad
        time, not a number, a unit that cannot be converted) every error is printed with its
        row, column and value and nothing is written. Then it is written in batches of --batch
        readings, each a durable transaction. Ingestion is idempotent: a reading sent again is
        stored once, so an interrupted run is simply run again.

        Datastreams are registered with `citycarbon monitor sites` and `citycarbon monitor datastreams`.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json, senml }

    @Argument(help: ArgumentHelp("The readings file, or - for standard input.", valueName: "file"))
    var file: String

    @Option(help: "csv, json or senml (default: from the file's extension; csv for standard input).")
    var format: Format?

    @Option(help: "Readings per transaction.")
    var batch = 200_000

    @OptionGroup var workspace: WorkspaceOptions

    func validate() throws {
        if batch < 1 { throw ValidationError("--batch must be at least 1") }
    }

    var resolvedFormat: Format {
        if let format { return format }
        let lower = file.lowercased()
        if lower.hasSuffix(".senml") || lower.hasSuffix(".senml.json") { return .senml }
        if lower.hasSuffix(".json") { return .json }
        return .csv
    }

    func run() throws {
        let database = try workspace.open()
        let bytes = try FileInput.read(file)
        let name = FileInput.name(file)
        let readings: [Reading]
        var units: [String?]?
        var locate: (Int) -> InputLocation = { InputLocation(file: name, field: "readings[\($0)]") }
        switch resolvedFormat {
        case .csv:
            // Row numbers come back from the parsed lines: blank lines are skipped, so count them as parsed.
            var lines: [Int32] = []
            readings = try bytes.withUnsafeBufferPointer { buffer throws(InputErrors) in
                let header = try ReadingCSV.header(buffer, file: name)
                let parsed = try ReadingCSV.rows(buffer, from: header.end, to: buffer.count, firstLine: header.line + 1, columns: header.columns, file: name)
                lines = ReadingCSV.lineNumbers(buffer, from: header.end, firstLine: header.line + 1, count: parsed.count)
                return parsed
            }
            locate = { InputLocation(file: name, row: Int(lines[$0])) }
        case .json:
            readings = try ReadingJSON.parse(bytes, file: name)
        case .senml:
            let entries = try SenML.parse(bytes, file: name, now: UnixSeconds(Date().timeIntervalSince1970))
            readings = entries.map(\.reading)
            units = entries.map(\.unit)
            locate = { InputLocation(file: name, field: "[\(entries[$0].index)]") }
        }
        let ingestor = ReadingIngestor(database)
        try ingestor.check(readings, units: units, locate: locate)
        var report = IngestReport()
        var first = 0
        let clock = ContinuousClock(), start = clock.now
        while first < readings.count {
            let end = min(readings.count, first + batch)
            report.add(try ingestor.ingest(Array(readings[first..<end]), units: units.map { Array($0[first..<end]) }, actor: workspace.who, source: name))
            first = end
            Terminal.progress("Ingesting \(name)", done: first, total: readings.count)
        }
        let elapsed = clock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(Self.summary(report, seconds: seconds))
    }

    static func summary(_ report: IngestReport, seconds: Double) -> String {
        var lines = ["Ingested \(GroupedNumber.format(Double(report.received), decimals: 0)) readings in \(String(format: "%.2f", seconds)) s: "
            + "\(report.stored) new (\(report.late) late), \(report.duplicates) duplicates, \(report.revised) revised; "
            + "\(GroupedNumber.format(report.kgCO2e / 1000, decimals: 3)) t CO2e."]
        if !report.flagged.isEmpty {
            lines.append("Flagged: " + report.flagged.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", ") + " (see `citycarbon monitor alerts`).")
        }
        if report.gapCount > 0 {
            lines.append("Gaps: \(report.gapCount), \(report.missingReadings) readings missing"
                + (report.gaps.first.map { "; first: \($0.datastream) \(Timestamp.iso($0.from)) → \(Timestamp.iso($0.to)) (\($0.missing) missing)" } ?? "") + ".")
        }
        return lines.joined(separator: "\n")
    }
}
