import CarbonKit
import Foundation

/// Reads the activity CSV: UTF-8 (a byte-order mark and CRLF are fine), a header row, one
/// activity per row.
///
/// Columns `year`, `jurisdiction` and `gpc_ref` are required; the others are optional:
/// `fuel`, `technology`, `amount`, `unit`, `factor_set` (default `IPCC2006`),
/// `co2_kg_per_unit`, `ch4_kg_per_unit`, `n2o_kg_per_unit`, `gas`, `td_loss_rate`,
/// `notation_key`, `ie_ref`, `ad_quality`, `ef_quality`, `source`, `note`.
///
/// Every problem is reported with its row, column and value, not just the first; nothing is
/// returned unless the whole file is valid. Large files are parsed on all cores.
public enum ActivityCSV {
    public enum Column: String, CaseIterable, Sendable {
        case year, jurisdiction, gpcRef = "gpc_ref", fuel, technology, amount, unit, factorSet = "factor_set"
        case co2 = "co2_kg_per_unit", ch4 = "ch4_kg_per_unit", n2o = "n2o_kg_per_unit", gas
        case tdLossRate = "td_loss_rate", notationKey = "notation_key", ieRef = "ie_ref"
        case adQuality = "ad_quality", efQuality = "ef_quality", source, note
    }

    public static let requiredColumns: [Column] = [.year, .jurisdiction, .gpcRef]

    /// Parses and validates a whole file.
    /// - Parameters:
    ///   - jurisdictions: when given, every row's jurisdiction must be in it.
    ///   - defaultFactorSet, factorSetByFuel: the sets that price a row naming none (the city's
    ///     settings); the set each row was priced with is what the workspace stores for it.
    /// - Parameter rowCheck: the caller's own check of the rows that parsed (who may write which
    ///   jurisdiction), whose problems are listed with the file's own.
    public static func read(_ bytes: UnsafeBufferPointer<UInt8>, file: String, library: FactorLibrary = .standard,
                            jurisdictions: JurisdictionTree? = nil, parallel: Bool = true,
                            defaultFactorSet: String = FactorLibrary.defaultSetName,
                            factorSetByFuel: [String: String] = [:],
                            rowCheck: ((ActivityTable) -> [InputIssue])? = nil) throws(InputErrors) -> ValidatedActivities {
        let parsed = try parseCollecting(bytes, file: file, parallel: parallel)
        // Rows that parsed are checked further even when others did not, so one pass shows every error.
        var issues = parsed.issues + (rowCheck?(parsed.table) ?? [])
        if parsed.table.count > 0 {
            do {
                let validated = try ActivityValidator(library: library, jurisdictions: jurisdictions, defaultFactorSet: defaultFactorSet,
                                                      factorSetByFuel: factorSetByFuel)
                    .validate(parsed.table, file: file, columns: parsed.header)
                if issues.isEmpty { return validated }
            } catch {
                issues += error.issues
            }
        }
        if issues.isEmpty {
            issues.append(InputIssue(InputLocation(file: file, row: 2), reason: "the file has a header but no data rows"))
        }
        issues.sort { ($0.location.row ?? 0, $0.location.column ?? 0) < ($1.location.row ?? 0, $1.location.column ?? 0) }
        throw InputErrors(issues)
    }

    public static func read(_ data: [UInt8], file: String, library: FactorLibrary = .standard,
                            jurisdictions: JurisdictionTree? = nil, defaultFactorSet: String = FactorLibrary.defaultSetName,
                            factorSetByFuel: [String: String] = [:],
                            rowCheck: ((ActivityTable) -> [InputIssue])? = nil) throws(InputErrors) -> ValidatedActivities {
        try data.withUnsafeBufferPointer { buffer throws(InputErrors) in
            try read(buffer, file: file, library: library, jurisdictions: jurisdictions, defaultFactorSet: defaultFactorSet,
                     factorSetByFuel: factorSetByFuel, rowCheck: rowCheck)
        }
    }

    public static func read(_ text: String, file: String, library: FactorLibrary = .standard,
                            jurisdictions: JurisdictionTree? = nil) throws(InputErrors) -> ValidatedActivities {
        try read(Array(text.utf8), file: file, library: library, jurisdictions: jurisdictions)
    }

    /// The syntax pass: fields to typed columns, with the checks a single row allows.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, file: String, parallel: Bool = true) throws(InputErrors) -> ActivityTable {
        let parsed = try parseCollecting(bytes, file: file, parallel: parallel)
        if !parsed.issues.isEmpty { throw InputErrors(parsed.issues) }
        if parsed.table.count == 0 {
            throw InputErrors([InputIssue(InputLocation(file: file, row: 2), reason: "the file has a header but no data rows")])
        }
        return parsed.table
    }

    /// The rows that parsed, and the problems of those that did not. A bad header throws.
    static func parseCollecting(_ bytes: UnsafeBufferPointer<UInt8>, file: String, parallel: Bool)
        throws(InputErrors) -> (table: ActivityTable, issues: [InputIssue], header: [String]) {
        var scanner = CSVScanner(bytes: bytes)
        var record = CSVRecord()
        guard scanner.next(into: &record) else {
            throw InputErrors([InputIssue(InputLocation(file: file, row: 1), reason: "the file is empty: it needs a header row (year,jurisdiction,gpc_ref,fuel,amount,unit,…)")])
        }
        let header = record.fields.map { scanner.string($0) }
        var layout: [Column?] = []
        var issues: [InputIssue] = []
        var seen: Set<Column> = []
        for (i, name) in header.enumerated() {
            let key = name.lowercased()
            if let column = Column(rawValue: key) {
                if !seen.insert(column).inserted {
                    issues.append(InputIssue(InputLocation(file: file, row: 1, column: i + 1, field: name), value: name, reason: "column appears twice"))
                }
                layout.append(column)
            } else if key.isEmpty {
                issues.append(InputIssue(InputLocation(file: file, row: 1, column: i + 1), reason: "the header has an empty column name"))
                layout.append(nil)
            } else {
                issues.append(InputIssue(InputLocation(file: file, row: 1, column: i + 1, field: name), value: name, reason: "unknown column",
                                         suggestion: Suggestion.didYouMean(key, among: Column.allCases.map(\.rawValue))))
                layout.append(nil)
            }
        }
        for column in requiredColumns where !seen.contains(column) {
            issues.append(InputIssue(InputLocation(file: file, row: 1), value: column.rawValue, reason: "required column is missing"))
        }
        if !seen.contains(.amount), !seen.contains(.notationKey) {
            issues.append(InputIssue(InputLocation(file: file, row: 1), value: "amount", reason: "the file needs an amount column (or notation_key for a file of notation keys)"))
        }
        if !issues.isEmpty { throw InputErrors(issues) }

        let bodyStart = scanner.position
        let chunks = parallel ? split(bytes, from: bodyStart, into: ProcessInfo.processInfo.activeProcessorCount) : [bodyStart..<bytes.count]
        let shared = SharedBytes(bytes)
        let columns = layout
        let results: [ChunkResult] = parallelMap(chunks.count) { i in
            var parser = ChunkParser(bytes: shared.buffer, columns: columns, file: file)
            return parser.parse(chunks[i])
        }
        // Chunk-local line numbers become file line numbers.
        var lineOffsets: [Int32] = []
        var lineOffset = scanner.line
        for result in results {
            lineOffsets.append(Int32(lineOffset))
            for var issue in result.issues {
                issue.location.row = (issue.location.row ?? 0) + lineOffset
                issues.append(issue)
            }
            lineOffset += result.lines
        }
        let table = ActivityTable.concatenate(results.map(\.table), lineOffsets: lineOffsets)
        return (table, issues, header.map { $0.lowercased() })
    }

    /// Byte ranges of roughly equal size that start at a record boundary: a line break
    /// outside quotes (an even number of quotes before it).
    static func split(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, into parts: Int) -> [Range<Int>] {
        let total = bytes.count - start
        guard parts > 1, total > 1 << 20, let base = bytes.baseAddress else { return [start..<bytes.count] }
        var bounds = [start]
        var quotes = 0
        var counted = start
        for k in 1..<parts {
            var cut = start + total * k / parts
            guard cut > bounds.last! else { continue }
            while true {
                while cut < bytes.count, base[cut] != 0x0A { cut += 1 }
                guard cut < bytes.count else { break }
                quotes += countQuotes(base + counted, cut - counted)
                counted = cut
                if quotes & 1 == 0 { break }
                cut += 1
            }
            guard cut < bytes.count else { break }
            bounds.append(cut + 1)
        }
        bounds.append(bytes.count)
        return (0..<(bounds.count - 1)).map { bounds[$0]..<bounds[$0 + 1] }.filter { !$0.isEmpty }
    }

    private static func countQuotes(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
        var count = 0
        var cursor = UnsafeRawPointer(p)
        var remaining = n
        while remaining > 0, let hit = memchr(cursor, 0x22, remaining) {
            count += 1
            let advance = UnsafeRawPointer(hit) - cursor + 1
            cursor += advance
            remaining -= advance
        }
        return count
    }
}

struct ChunkResult: Sendable {
    var table: ActivityTable
    var issues: [InputIssue]
    /// Physical lines the chunk spans.
    var lines: Int
}

/// Parses one chunk of the body into columns, checking each row on its own.
struct ChunkParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let columns: [ActivityCSV.Column?]
    let file: String
    var table = ActivityTable()
    var issues: [InputIssue] = []
    /// Holds a field whose doubled quotes were undone.
    var scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
    var scratchCapacity = 256

    init(bytes: UnsafeBufferPointer<UInt8>, columns: [ActivityCSV.Column?], file: String) {
        self.bytes = bytes
        self.columns = columns
        self.file = file
    }

    mutating func issue(_ line: Int, _ column: Int?, _ value: String?, _ reason: String, _ suggestion: String? = nil) {
        let name = column.flatMap { columns[$0]?.rawValue }
        issues.append(InputIssue(InputLocation(file: file, row: line, column: column.map { $0 + 1 }, field: name),
                                 value: value, reason: reason, suggestion: suggestion))
    }

    mutating func parse(_ range: Range<Int>) -> ChunkResult {
        var scanner = CSVScanner(bytes: bytes, start: range.lowerBound, end: range.upperBound, firstLine: 0)
        var record = CSVRecord()
        table.reserve(range.count / 48)
        let base = bytes.baseAddress!
        let width = columns.count
        defer { scratch.deallocate() }
        func position(_ column: ActivityCSV.Column) -> Int { columns.firstIndex(of: column) ?? -1 }
        let yearColumn = position(.year), jurisdictionColumn = position(.jurisdiction), refColumn = position(.gpcRef)
        let amountColumn = position(.amount), ieRefColumn = position(.ieRef), gasColumn = position(.gas)
        let fuelColumn = position(.fuel), unitColumn = position(.unit)
        let includedElsewhere = UInt8(NotationKey.includedElsewhere.index + 1)
        func orNil(_ c: Int) -> Int? { c >= 0 ? c : nil }

        while scanner.next(into: &record) {
            let line = record.line
            let fieldCount = record.fields.count
            if fieldCount != width {
                var extraEmpty = fieldCount > width
                if extraEmpty { for f in record.fields[width...] where !f.isEmpty { extraEmpty = false } }
                if !extraEmpty {
                    issue(line, nil, nil, "has \(fieldCount) fields but the header has \(width)")
                    continue
                }
            }
            let errorsBefore = issues.count
            var year: Int32 = 0, hasYear = false
            var jurisdiction: Int32 = -1, ref: Int32 = -1, fuel: Int32 = -1, technology: Int32 = -1, unit: Int32 = -1
            var factorSet: Int32 = -1, gas: Int32 = -1, ieRef: Int32 = -1, source: Int32 = -1, note: Int32 = -1
            var amount = Double.nan, co2 = Double.nan, ch4 = Double.nan, n2o = Double.nan, loss = Double.nan
            var key: UInt8 = 0, ad: UInt8 = 0, ef: UInt8 = 0

            for c in 0..<width {
                guard let column = columns[c] else { continue }
                let field = record.fields[c]
                if field.unterminated { issue(line, c, nil, "a quoted field is never closed"); continue }
                if field.trailingGarbage { issue(line, c, scanner.string(field), "text after a closing quote"); continue }
                var r = scanner.trimmedRange(field)
                var p = base + r.lowerBound
                var n = r.count
                if n == 0 { continue }
                if field.escapedQuotes {
                    let unescaped = Array(scanner.string(field).utf8)
                    if unescaped.count > scratchCapacity {
                        scratch.deallocate()
                        scratchCapacity = unescaped.count * 2
                        scratch = .allocate(capacity: scratchCapacity)
                    }
                    unescaped.withUnsafeBufferPointer { scratch.update(from: $0.baseAddress!, count: $0.count) }
                    r = 0..<unescaped.count
                    n = unescaped.count
                    p = UnsafePointer(scratch)
                }
                switch column {
                case .year:
                    var value = 0, ok = n <= 6
                    for i in 0..<n where ok { let d = p[i] &- 0x30; if d < 10 { value = value * 10 + Int(d) } else { ok = false } }
                    if ok, (1850...2300).contains(value) { year = Int32(value); hasYear = true }
                    else { issue(line, c, text(p, n), ok ? "is not a plausible year (1850–2300)" : "is not a year") }
                case .jurisdiction: jurisdiction = table.jurisdictions.intern(p, n)
                case .gpcRef: ref = table.refs.intern(p, n)
                case .fuel: fuel = table.fuels.intern(p, n)
                case .technology: technology = table.technologies.intern(p, n)
                case .unit: unit = table.units.intern(p, n)
                case .factorSet: factorSet = table.factorSets.intern(p, n)
                case .gas: gas = table.gases.intern(p, n)
                case .ieRef: ieRef = table.refs.intern(p, n)
                case .source: source = table.sources.intern(p, n)
                case .note: note = table.notes.intern(p, n)
                case .amount: amount = number(p, n, line, c, what: "an amount")
                case .co2: co2 = number(p, n, line, c, what: "a factor")
                case .ch4: ch4 = number(p, n, line, c, what: "a factor")
                case .n2o: n2o = number(p, n, line, c, what: "a factor")
                case .tdLossRate:
                    loss = number(p, n, line, c, what: "a loss rate")
                    if loss >= 1 { issue(line, c, text(p, n), "a loss rate is a fraction below 1 (8 % is 0.08)"); loss = .nan }
                case .notationKey:
                    if let k = Self.notationKey(p, n) { key = UInt8(k.index + 1) }
                    else { issue(line, c, text(p, n), "is not a notation key", "one of NO, IE, NE, C") }
                case .adQuality, .efQuality:
                    if n == 1, let q = Self.quality(p[0]) {
                        if column == .adQuality { ad = q } else { ef = q }
                    } else {
                        issue(line, c, text(p, n), "is not a data-quality rating", "one of H, M, L")
                    }
                }
            }

            // Row-level rules.
            if !hasYear, record.fields[yearColumn].isEmpty { issue(line, yearColumn, nil, "year is required") }
            if jurisdiction < 0 { issue(line, jurisdictionColumn, nil, "jurisdiction is required") }
            if ref < 0 { issue(line, refColumn, nil, "gpc_ref is required") }
            let hasAmount = !amount.isNaN
            let explicit = !co2.isNaN || !ch4.isNaN || !n2o.isNaN
            let amountEmpty = amountColumn < 0 || record.fields[amountColumn].isEmpty
            if key != 0 {
                if !amountEmpty { issue(line, amountColumn, scanner.string(record.fields[amountColumn]), "a row with a notation key has no amount") }
                if key == includedElsewhere, ieRef < 0 {
                    issue(line, orNil(ieRefColumn), nil, "IE needs ie_ref: the GPC reference whose emissions include this row's")
                }
                if key != includedElsewhere, ieRef >= 0 {
                    issue(line, ieRefColumn, table.refs[ieRef], "ie_ref goes only with the notation key IE")
                }
            } else if amountEmpty {
                issue(line, orNil(amountColumn), nil, "a row needs an amount or a notation key (NO, IE, NE, C)")
            } else if hasAmount {
                if explicit {
                    if gas >= 0 { issue(line, gasColumn, table.gases[gas], "a row has either explicit factors or a gas, not both") }
                } else if gas >= 0 {
                    if fuel >= 0 { issue(line, fuelColumn, table.fuels[fuel], "a gas row states emissions directly: leave fuel empty") }
                    if unit < 0 { issue(line, orNil(unitColumn), nil, "a gas row needs the unit of the gas mass (kg, t …)") }
                } else {
                    if fuel < 0 { issue(line, orNil(fuelColumn), nil, "a row needs a fuel, explicit factors (co2_kg_per_unit …) or a gas") }
                    if unit < 0 { issue(line, orNil(unitColumn), nil, "a fuel row needs a unit") }
                }
            }
            if issues.count != errorsBefore { continue }

            table.rows.append(PackedActivity(
                year: year, jurisdiction: jurisdiction, gpcRef: ref, fuel: fuel, technology: technology, unit: unit,
                factorSet: factorSet, gas: gas, ieRef: ieRef, source: source, note: note, line: Int32(line),
                amount: amount, extra: table.extraIndex(ActivityExtras(co2: co2, ch4: ch4, n2o: n2o, tdLossRate: loss)),
                notationKey: key, adQuality: ad, efQuality: ef))
        }
        return ChunkResult(table: table, issues: issues, lines: scanner.line)
    }

    /// Beyond any city's activity in any unit (a city's yearly energy is under 1e19 J), and small
    /// enough that amount × factor stays finite.
    static let largestNumber = 1e20

    /// H, M or L (either case) as 1 + index in `DataQuality.allCases`.
    @inline(__always)
    static func quality(_ byte: UInt8) -> UInt8? {
        switch byte | 0x20 {
        case 0x68: 1
        case 0x6D: 2
        case 0x6C: 3
        default: nil
        }
    }

    static func notationKey(_ p: UnsafePointer<UInt8>, _ n: Int) -> NotationKey? {
        NotationKey(rawValue: String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self).uppercased())
    }

    func text(_ p: UnsafePointer<UInt8>, _ n: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    @inline(__always)
    mutating func number(_ p: UnsafePointer<UInt8>, _ n: Int, _ line: Int, _ c: Int, what: String) -> Double {
        if let value = DecimalParser.parse(p, n), value.isFinite {
            if value < 0 {
                issue(line, c, text(p, n), "\(what) cannot be negative")
                return .nan
            }
            if value > ChunkParser.largestNumber {
                issue(line, c, text(p, n), "\(what) is implausibly large (over 1e20): check the unit")
                return .nan
            }
            return value
        }
        let raw = text(p, n)
        var suggestion: String?
        if raw.contains(","), DecimalParser.parse(raw.replacingOccurrences(of: ",", with: "")) != nil {
            suggestion = "write it without thousands separators: \(raw.replacingOccurrences(of: ",", with: ""))"
        } else if raw.lowercased().contains("nan") || raw.lowercased().contains("inf") {
            issue(line, c, raw, "\(what) must be a finite number")
            return .nan
        }
        issue(line, c, raw, "is not a number", suggestion)
        return .nan
    }
}

extension DecimalParser {
    static func parse(_ s: String) -> Double? {
        var copy = s
        return copy.withUTF8 { b in b.baseAddress.flatMap { parse($0, b.count) } }
    }
}

extension ActivityCSV.Column {
    var index: Int { ActivityCSV.Column.allCases.firstIndex(of: self)! }
}

extension NotationKey {
    var index: Int { NotationKey.allCases.firstIndex(of: self)! }
}

extension DataQuality {
    var index: Int { DataQuality.allCases.firstIndex(of: self)! }
}
