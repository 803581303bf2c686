import CarbonAccounting
import CarbonKit
import CarbonMonitoring
import Foundation

/// The sheets that register what the city meters — sites, their datastreams, hourly or daily
/// grid factor series — read and checked whole against the city's jurisdictions, the GPC
/// taxonomy and the factor library. Every problem names its row and column; the store writes
/// only a sheet with none.
public enum MonitoringSheets {
    public static let siteColumns = ["key", "name", "kind", "use", "jurisdiction", "organisation", "gpc_ref", "floor_area_m2", "annual_output", "output_unit"]
    public static let datastreamColumns = ["key", "site", "quantity", "unit", "kind", "interval_s", "multiplier", "rollover_at", "max_per_hour", "factor_set"]

    /// A sheet with its columns checked: each of `required` present, none outside `known`.
    public static func table(_ bytes: [UInt8], file: String, required: [String], known: [String]) throws(InputErrors) -> ReferenceTable {
        let table = try bytes.withUnsafeBufferPointer { b throws(InputErrors) in try ReferenceTable(name: file, bytes: b) }
        var issues: [InputIssue] = []
        for column in required where !table.columns.contains(column) {
            issues.append(InputIssue(InputLocation(file: file, row: 1), value: column, reason: "required column is missing",
                                     suggestion: "columns: " + known.joined(separator: ", ")))
        }
        for (i, column) in table.columns.enumerated() where !known.contains(column) {
            issues.append(InputIssue(InputLocation(file: file, row: 1, column: i + 1), value: column, reason: "unknown column",
                                     suggestion: Suggestion.didYouMean(column, among: known)))
        }
        guard issues.isEmpty else { throw InputErrors(issues) }
        return table
    }

    /// The row's `key`, refused when an earlier row of the same sheet had it.
    static func uniqueKey(_ row: ReferenceTable.Row, seen: inout [String: Int]) throws(InputIssue) -> String {
        let key = try row.required("key")
        if let first = seen[key] { throw InputIssue(row.location("key"), value: key, reason: "also on row \(first)") }
        seen[key] = row.line
        return key
    }

    /// Sites of a sheet: each in a known jurisdiction and an energy or transport sub-sector,
    /// sizes greater than zero, an annual output with its unit.
    public static func sites(_ table: ReferenceTable, jurisdictions: Set<String>, taxonomy: GPCTaxonomy = .standard) throws(InputErrors) -> [Site] {
        var issues: [InputIssue] = []
        var sites: [Site] = []
        var seen: [String: Int] = [:]
        for row in table.rows {
            do throws(InputIssue) {
                let key = try uniqueKey(row, seen: &seen)
                guard let kind = Site.Kind(rawValue: row["kind"]) else {
                    throw InputIssue(row.location("kind"), value: row["kind"], reason: "unknown site kind",
                                     suggestion: "one of " + Site.Kind.allCases.map(\.rawValue).joined(separator: ", "))
                }
                let jurisdiction = try row.required("jurisdiction")
                guard jurisdictions.contains(jurisdiction) else {
                    throw InputIssue(row.location("jurisdiction"), value: jurisdiction, reason: "no such jurisdiction",
                                     suggestion: Suggestion.didYouMean(jurisdiction, among: Array(jurisdictions)))
                }
                let gpcRef = try row.required("gpc_ref")
                guard let entry = taxonomy.entry(gpcRef + ".1"), entry.sector == "I" || entry.sector == "II" else {
                    throw InputIssue(row.location("gpc_ref"), value: gpcRef, reason: "not a GPC energy or transport sub-sector",
                                     suggestion: "I.1 residential, I.2 commercial, I.3 industry, I.4 energy industries, I.5 agriculture, I.6 non-specified, II.1 on-road …")
                }
                func positive(_ column: String) throws(InputIssue) -> Double? {
                    guard let value = try row.optionalDouble(column) else { return nil }
                    guard value > 0 else { throw InputIssue(row.location(column), value: row[column], reason: "must be greater than zero") }
                    return value
                }
                let output = try positive("annual_output")
                if output != nil, row["output_unit"].isEmpty {
                    throw InputIssue(row.location("output_unit"), reason: "an annual output needs its unit")
                }
                sites.append(Site(key: key, name: try row.required("name"), kind: kind, use: try row.required("use"),
                                  jurisdiction: jurisdiction, organisation: try row.required("organisation"), gpcRef: gpcRef,
                                  floorAreaM2: try positive("floor_area_m2"), annualOutput: output,
                                  outputUnit: row["output_unit"].isEmpty ? nil : row["output_unit"]))
            } catch {
                issues.append(error)
            }
        }
        guard issues.isEmpty else { throw InputErrors(issues) }
        return sites
    }

    /// Datastreams of a sheet, each on a known site, checked as a meter (``Datastream/validate()``),
    /// with a factor set the library has when it names one.
    public static func datastreams(_ table: ReferenceTable, sites: Set<String>, library: FactorLibrary = .standard)
        throws(InputErrors) -> [(stream: Datastream, factorSet: String?, line: Int)] {
        var issues: [InputIssue] = []
        var streams: [(stream: Datastream, factorSet: String?, line: Int)] = []
        var seen: [String: Int] = [:]
        for row in table.rows {
            do throws(InputIssue) {
                let key = try uniqueKey(row, seen: &seen)
                let siteKey = try row.required("site")
                guard sites.contains(siteKey) else {
                    throw InputIssue(row.location("site"), value: siteKey, reason: "no such site", suggestion: Suggestion.didYouMean(siteKey, among: Array(sites)))
                }
                guard let kind = Datastream.ReadingKind(rawValue: row["kind"]) else {
                    throw InputIssue(row.location("kind"), value: row["kind"], reason: "unknown kind", suggestion: "interval, cumulative or instantaneous")
                }
                guard let interval = Int(row["interval_s"]) else {
                    throw InputIssue(row.location("interval_s"), value: row["interval_s"], reason: "seconds between readings, 60 to 86400")
                }
                let stream = Datastream(key: key, siteKey: siteKey, quantity: row["quantity"], unit: try row.required("unit"), kind: kind,
                                        intervalSeconds: interval, multiplier: try row.optionalDouble("multiplier") ?? 1,
                                        rolloverAt: try row.optionalDouble("rollover_at"), maxPerHour: try row.optionalDouble("max_per_hour"))
                do throws(Datastream.Problem) { try stream.validate() } catch {
                    // The row's own text, as the sheet has it, is the value to show.
                    let text = row[error.field]
                    throw InputIssue(row.location(error.field), value: text.isEmpty ? error.value : text, reason: error.reason, suggestion: error.suggestion)
                }
                let factorSet = row["factor_set"].isEmpty ? nil : row["factor_set"]
                if let factorSet, library.sets[factorSet] == nil {
                    throw InputIssue(row.location("factor_set"), value: factorSet, reason: "no such factor set",
                                     suggestion: Suggestion.didYouMean(factorSet, among: Array(library.sets.keys)))
                }
                streams.append((stream, factorSet, row.line))
            } catch {
                issues.append(error)
            }
        }
        guard issues.isEmpty else { throw InputErrors(issues) }
        return streams
    }

    /// An hourly or daily grid factor series (`time,kg_per_kwh`, regular steps, times ending
    /// each step as readings do), with its name and source.
    public static func factorSeries(_ table: ReferenceTable, name: String, source: String) throws(InputErrors) -> FactorTimeline.Series {
        var issues: [InputIssue] = []
        if name.trimmingCharacters(in: .whitespaces).isEmpty { issues.append(InputIssue(InputLocation(field: "name"), reason: "a series needs a name")) }
        if source.trimmingCharacters(in: .whitespaces).isEmpty {
            issues.append(InputIssue(InputLocation(field: "source"), reason: "a series needs its source (publisher, document, year)"))
        }
        var points: [(UnixSeconds, Double)] = []
        for row in table.rows {
            do throws(InputIssue) {
                guard let t = Timestamp.parse(row["time"]) else {
                    throw InputIssue(row.location("time"), value: row["time"], reason: "not an ISO 8601 time with a zone in whole seconds")
                }
                let value = try row.double("kg_per_kwh")
                guard value >= 0, value < 3 else { throw InputIssue(row.location("kg_per_kwh"), value: row["kg_per_kwh"], reason: "not a plausible grid factor (0 to 3 kg/kWh)") }
                points.append((t, value))
            } catch {
                issues.append(error)
            }
        }
        guard issues.isEmpty else { throw InputErrors(issues) }
        guard points.count >= 2 else { throw InputErrors([InputIssue(InputLocation(file: table.name), reason: "a series needs at least two rows")]) }
        let step = points[1].0 - points[0].0
        guard step == 3600 || step == 86_400 else {
            throw InputErrors([InputIssue(InputLocation(file: table.name, row: 3, field: "time"), value: table.rows[1]["time"], reason: "steps must be one hour or one day")])
        }
        for i in 1..<points.count where points[i].0 - points[i - 1].0 != step {
            issues.append(InputIssue(table.rows[i].location("time"), value: table.rows[i]["time"], reason: "not \(step / 3600) h after the row before"))
        }
        guard issues.isEmpty else { throw InputErrors(Array(issues.prefix(100))) }
        return FactorTimeline.Series(name: name, startHour: (points[0].0 - step) / 3600, stepHours: Int(step / 3600), kgPerUnit: points.map(\.1))
    }
}
