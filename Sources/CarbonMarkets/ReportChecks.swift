import CarbonKit

/// One finding of the automated evaluation, run before a report may be submitted (as EPA's
/// emissions review gives each check a severity): an error blocks submission, a warning must be
/// read, a note informs.
public struct ReportCheck: Sendable, Equatable, Codable {
    public enum Severity: String, Sendable, Codable, Comparable, CaseIterable {
        case error, warning, note
        public static func < (a: Severity, b: Severity) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
    }

    public var severity: Severity
    /// A stable code a page translates (`month_missing`, `carbon_conservative` …).
    public var code: String
    /// The line (`facility/source`) or facility it is about, and the month (1–12) when one.
    public var subject: String
    public var month: Int?
    /// The figures the message quotes, formatted by the page.
    public var values: [Double]

    public init(_ severity: Severity, _ code: String, subject: String, month: Int? = nil, values: [Double] = []) {
        (self.severity, self.code, self.subject, self.month, self.values) = (severity, code, subject, month, values)
    }
}

/// The evaluation itself: completeness, plausibility of measured values against the library's
/// defaults, the units' own arithmetic, and cross-checks against the meters and the city inventory.
public enum ReportChecks {
    /// What a metered source's meters counted over the year, in the line's unit.
    public struct Metered: Sendable, Equatable {
        public var line: String
        public var amount: Double
        public init(line: String, amount: Double) { (self.line, self.amount) = (line, amount) }
    }

    /// Checks `report`, computed from `months`. `inventoryTonnes` is the city inventory's total for
    /// the enterprise's jurisdiction and sub-sector, when that year is computed.
    public static func run(_ report: AnnualReport, months: [MonthlyEvidence], enterprise: Enterprise, fuels: [String: FuelParameters],
                           metered: [Metered] = [], inventoryTonnes: Double? = nil, rules: ReportingRules = .standard) -> [ReportCheck] {
        var checks: [ReportCheck] = []
        let months = months.filter { $0.year == report.year }
        for facility in enterprise.facilities {
            let deposited = Set(months.filter { $0.facility == facility.key }.map(\.month))
            for month in 1...12 where !deposited.contains(month) {
                checks.append(ReportCheck(.error, "month_missing", subject: facility.key, month: month))
            }
            for month in months where month.facility == facility.key && month.files.isEmpty {
                checks.append(ReportCheck(.warning, "evidence_missing", subject: facility.key, month: month.month))
            }
        }
        let sourcesByKey = Dictionary(report.lines.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        for line in report.lines {
            if line.carbonBasis == .missing || line.ncvBasis == .missing {
                checks.append(ReportCheck(.error, line.kind == .combustion ? "parameters_missing" : "factor_missing", subject: line.key))
            }
            if line.monthsReported == 0 && line.kind != .purchasedHeat {
                checks.append(ReportCheck(.note, "source_unused", subject: line.key))
            }
            if line.carbonBasis == .conservative {
                checks.append(ReportCheck(.warning, "carbon_conservative", subject: line.key,
                                          values: [line.conservativeSurcharge, 1 - (line.measuredCarbonShare ?? 0)]))
            }
        }
        for month in months {
            for batch in month.batches {
                guard let line = sourcesByKey["\(month.facility)/\(batch.source)"], let fuel = line.fuel, let standard = fuels[fuel] else { continue }
                for (code, measured, reference) in [("ncv_implausible", batch.ncv, standard.ncv),
                                                    ("carbon_implausible", batch.carbonContent, standard.carbonContent)] {
                    guard let measured, reference > 0 else { continue }
                    let ratio = measured / reference
                    if !rules.errorBand.contains(ratio) {
                        checks.append(ReportCheck(.error, code, subject: line.key, month: month.month, values: [measured, reference]))
                    } else if !rules.warningBand.contains(ratio) {
                        checks.append(ReportCheck(.warning, code, subject: line.key, month: month.month, values: [measured, reference]))
                    }
                }
            }
            if let generation = month.generation, generation > 0, month.operatingHours == 0 {
                checks.append(ReportCheck(.error, "generation_without_hours", subject: month.facility, month: month.month, values: [generation]))
            }
        }
        // Fuel heat per MWh generated, for facilities that generate: a heat rate outside the band
        // means an amount, a unit or a calorific value is wrong.
        for facility in enterprise.facilities {
            let generated = months.filter { $0.facility == facility.key }.reduce(0) { $0 + ($1.generation ?? 0) }
            let heat = report.lines.filter { $0.facility == facility.key && $0.kind == .combustion }
                .reduce(0) { $0 + $1.activity * ($1.ncv ?? 0) }
            guard generated > 0, heat > 0 else { continue }
            let rate = heat / generated
            if !rules.heatRate.contains(rate) {
                checks.append(ReportCheck(.warning, "heat_rate_implausible", subject: facility.key, values: [rate]))
            }
        }
        for meter in metered {
            guard let line = sourcesByKey[meter.line], meter.amount > 0 || line.activity > 0 else { continue }
            let difference = (line.activity - meter.amount) / max(meter.amount, line.activity)
            if abs(difference) > rules.meterDifference {
                checks.append(ReportCheck(.warning, "meter_difference", subject: meter.line, values: [line.activity, meter.amount]))
            }
        }
        if let inventoryTonnes, report.direct > inventoryTonnes {
            checks.append(ReportCheck(.warning, "inventory_exceeded", subject: enterprise.jurisdiction, values: [report.direct, inventoryTonnes]))
        }
        return checks.sorted { ($0.severity, $0.subject, $0.month ?? 0) < ($1.severity, $1.subject, $1.month ?? 0) }
    }

    /// Whether the report may be submitted: no check is an error.
    public static func blocksSubmission(_ checks: [ReportCheck]) -> Bool { checks.contains { $0.severity == .error } }
}
