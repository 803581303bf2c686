import CarbonKit

/// What changed between two versions of a report, line by line and month by month, so that a
/// regulator reads a corrected version as the changes it asked for.
public struct ReportDiff: Sendable, Equatable {
    public struct Change: Sendable, Equatable {
        /// `line` (a facility/source), `month` (facility/month) or `total`.
        public var subject: String
        public var field: String
        public var before: Double?
        public var after: Double?
    }

    public var changes: [Change]

    public init(from old: AnnualReport, to new: AnnualReport, oldMonths: [MonthlyEvidence], newMonths: [MonthlyEvidence]) {
        var changes: [Change] = []
        func compare(_ subject: String, _ field: String, _ a: Double?, _ b: Double?) {
            if a != b { changes.append(Change(subject: subject, field: field, before: a, after: b)) }
        }
        let oldLines = Dictionary(old.lines.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        let newLines = Dictionary(new.lines.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        for key in Set(oldLines.keys).union(newLines.keys).sorted() {
            let a = oldLines[key], b = newLines[key]
            compare(key, "activity", a?.activity, b?.activity)
            compare(key, "ncv", a?.ncv, b?.ncv)
            compare(key, "carbon_content", a?.carbonContent, b?.carbonContent)
            compare(key, "factor", a?.factor, b?.factor)
            compare(key, "tonnes", a?.tonnes, b?.tonnes)
        }
        func byMonth(_ months: [MonthlyEvidence]) -> [String: MonthlyEvidence] {
            Dictionary(months.map { ("\($0.facility)/\($0.year)-\($0.month < 10 ? "0" : "")\($0.month)", $0) }, uniquingKeysWith: { _, last in last })
        }
        let a = byMonth(oldMonths), b = byMonth(newMonths)
        for key in Set(a.keys).union(b.keys).sorted() {
            let x = a[key], y = b[key]
            if x == y { continue }
            if x == nil || y == nil { changes.append(Change(subject: key, field: "deposited", before: x == nil ? 0 : 1, after: y == nil ? 0 : 1)); continue }
            compare(key, "generation", x?.generation, y?.generation)
            compare(key, "supply", x?.supply, y?.supply)
            compare(key, "heat_supplied", x?.heatSupplied, y?.heatSupplied)
            compare(key, "operating_hours", x?.operatingHours, y?.operatingHours)
            compare(key, "load_factor", x?.loadFactor, y?.loadFactor)
            compare(key, "batches", x.map { Double($0.batches.count) }, y.map { Double($0.batches.count) })
            compare(key, "files", x.map { Double($0.files.count) }, y.map { Double($0.files.count) })
        }
        compare("total", "tonnes", old.total, new.total)
        self.changes = changes
    }
}
