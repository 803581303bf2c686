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

    @Option(help: .hidden)
    var chunkBytes = 1 << 24

    @OptionGroup var workspace: WorkspaceOptions

    func validate() throws {
        if batch < 1 { throw ValidationError("--batch must be at least 1") }
        if chunkBytes < 64 { throw ValidationError("--chunk-bytes must be at least 64") }
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
        let name = FileInput.name(file)
        let ingestor = ReadingIngestor(database)
        let clock = ContinuousClock(), start = clock.now
        var report = IngestReport()
        switch resolvedFormat {
        case .csv:
            report = try streamCSV(ingestor, name: name)
        case .json, .senml:
            let payload = try ReadingPayload.decode(try FileInput.read(file), format: resolvedFormat == .json ? .json : .senml, source: name,
                                                    now: UnixSeconds(Date().timeIntervalSince1970))
            let (readings, units) = (payload.readings, payload.units)
            try ingestor.check(readings, units: units, locate: payload.locate)
            var first = 0
            while first < readings.count {
                let end = min(readings.count, first + batch)
                report.add(try ingestor.ingest(Array(readings[first..<end]), units: units.map { Array($0[first..<end]) }, actor: workspace.who, source: name))
                first = end
                Terminal.progress("Ingesting \(name)", done: first, total: readings.count)
            }
        }
        let elapsed = clock.now - start
        print(Self.summary(report, seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18))
    }

    /// A CSV of any size, mapped rather than read, in chunks of whole lines: checked chunk by
    /// chunk first (nothing is written if any row is bad), then parsed again and written in
    /// batches. Standard input is spooled to a temporary file first.
    func streamCSV(_ ingestor: ReadingIngestor, name: String) throws -> IngestReport {
        var path = file
        var spooled: URL?
        if file == "-" {
            let url = FileManager.default.temporaryDirectory.appendingPathComponent("citycarbon-ingest-\(UUID().uuidString).csv")
            FileManager.default.createFile(atPath: url.path, contents: nil)
            let out = try FileHandle(forWritingTo: url)
            while let chunk = try FileHandle.standardInput.read(upToCount: 1 << 22), !chunk.isEmpty { out.write(chunk) }
            try out.close()
            path = url.path
            spooled = url
        }
        defer { if let spooled { try? FileManager.default.removeItem(at: spooled) } }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped) } catch {
            throw CLIFailure.usage("cannot read \(file): \(error.localizedDescription)")
        }
        let batchSize = batch, chunkSize = chunkBytes
        let who = workspace.who
        return try data.withUnsafeBytes { raw throws -> IngestReport in
            let buffer = raw.bindMemory(to: UInt8.self)
            let header = try ReadingCSV.header(buffer, file: name)
            // Chunks of about 16 MB (--chunk-bytes) ending at a line break, with the line each starts on.
            var chunks: [(from: Int, to: Int, line: Int)] = []
            var from = header.end, line = header.line + 1
            while from < buffer.count {
                var to = min(buffer.count, from + chunkSize)
                while to < buffer.count, buffer[to - 1] != 10 { to += 1 }
                chunks.append((from, to, line))
                line += buffer[from..<to].reduce(0) { $0 + ($1 == 10 ? 1 : 0) }
                from = to
            }
            func readings(_ chunk: (from: Int, to: Int, line: Int)) throws -> (readings: [Reading], lines: [Int32]) {
                let parsed = try ReadingCSV.rows(buffer, from: chunk.from, to: chunk.to, firstLine: chunk.line, columns: header.columns, file: name)
                return (parsed, ReadingCSV.lineNumbers(buffer, from: chunk.from, firstLine: chunk.line, count: parsed.count))
            }
            var issues: [InputIssue] = []
            for (i, chunk) in chunks.enumerated() where issues.count < 100 {
                do {
                    let (parsed, lines) = try readings(chunk)
                    try ingestor.check(parsed) { InputLocation(file: name, row: Int(lines[$0])) }
                } catch let errors as InputErrors {
                    issues += errors.issues.prefix(100 - issues.count)
                }
                Terminal.progress("Checking \(name)", done: i + 1, total: chunks.count)
            }
            guard issues.isEmpty else { throw InputErrors(issues) }
            var report = IngestReport()
            for (i, chunk) in chunks.enumerated() {
                let (parsed, _) = try readings(chunk)
                var first = 0
                while first < parsed.count {
                    let end = min(parsed.count, first + batchSize)
                    report.add(try ingestor.ingest(Array(parsed[first..<end]), actor: who, source: name))
                    first = end
                }
                Terminal.progress("Ingesting \(name)", done: i + 1, total: chunks.count)
            }
            return report
        }
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
