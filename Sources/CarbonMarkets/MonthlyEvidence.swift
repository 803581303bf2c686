import CarbonKit

/// One month of a facility's evidence (月度存证), deposited by the enterprise within the
/// calendar's deadline: what each source used, batch by batch with the laboratory's measured
/// net calorific value and carbon content where there is one, and how the units ran.
public struct MonthlyEvidence: Sendable, Equatable, Codable {
    /// One delivery or sampling period of one source. Several batches of a source in a month are
    /// weighted by their amounts, as the guideline asks for measured coal.
    public struct Batch: Sendable, Equatable, Codable {
        public var source: String
        /// t for solid and liquid fuels, 10⁴ m³ for gases, t of material for a process, MWh or GJ bought.
        public var amount: Double
        /// Measured net calorific value, GJ per unit of amount.
        public var ncv: Double?
        /// Measured carbon content per unit of heat, t C/GJ.
        public var carbonContent: Double?
        /// Measured or declared oxidation rate, 0–1.
        public var oxidation: Double?
        /// A process source's emission factor, t CO2 per t of material (from its laboratory analysis).
        public var emissionFactor: Double?

        public init(source: String, amount: Double, ncv: Double? = nil, carbonContent: Double? = nil, oxidation: Double? = nil,
                    emissionFactor: Double? = nil) {
            (self.source, self.amount, self.ncv, self.carbonContent) = (source, amount, ncv, carbonContent)
            (self.oxidation, self.emissionFactor) = (oxidation, emissionFactor)
        }
    }

    /// A supporting document (a laboratory report, an invoice, a meter reading sheet), kept by its digest.
    public struct EvidenceFile: Sendable, Equatable, Codable {
        public var name: String
        public var sha256: String
        public var bytes: Int
        public init(name: String, sha256: String, bytes: Int) { (self.name, self.sha256, self.bytes) = (name, sha256, bytes) }
    }

    public var facility: String
    public var year: Int
    public var month: Int
    public var batches: [Batch]
    /// Power generated and supplied to the grid, MWh; heat supplied, GJ.
    public var generation: Double?
    public var supply: Double?
    public var heatSupplied: Double?
    public var operatingHours: Double?
    /// Output over capacity for the hours run, 0–1.
    public var loadFactor: Double?
    public var files: [EvidenceFile]

    public init(facility: String, year: Int, month: Int, batches: [Batch] = [], generation: Double? = nil, supply: Double? = nil,
                heatSupplied: Double? = nil, operatingHours: Double? = nil, loadFactor: Double? = nil, files: [EvidenceFile] = []) {
        (self.facility, self.year, self.month, self.batches) = (facility, year, month, batches)
        (self.generation, self.supply, self.heatSupplied) = (generation, supply, heatSupplied)
        (self.operatingHours, self.loadFactor, self.files) = (operatingHours, loadFactor, files)
    }

    /// Hours in the month (the most a unit can run).
    public var hoursInMonth: Double? {
        guard let first = Day(year: year, month: month, day: 1) else { return nil }
        let next = month == 12 ? Day(year: year + 1, month: 1, day: 1) : Day(year: year, month: month + 1, day: 1)
        return next.map { Double(first.days(until: $0) * 24) }
    }

    /// What is physically impossible, field by field: the month refuses it before it is stored.
    /// Implausible but possible values are the checks' business (``ReportChecks``).
    public func problems(sources: [String: EmissionSource.Kind]) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        func check(_ field: String, _ value: Double?, _ range: ClosedRange<Double>, _ reason: String) {
            guard let value else { return }
            if !value.isFinite || !range.contains(value) { problems.append(FieldProblem(field: field, value: value, reason: reason)) }
        }
        if hoursInMonth == nil || !(2000...2100).contains(year) {
            problems.append(FieldProblem(field: "month", value: Double(month), reason: "no such month in 2000–2100"))
        }
        for (index, batch) in batches.enumerated() {
            let at = "batches[\(index)]"
            guard let kind = sources[batch.source] else {
                problems.append(FieldProblem(field: "\(at).source", text: batch.source, reason: "not a source of facility \(facility)"))
                continue
            }
            check("\(at).amount", batch.amount, 0...1e9, "an amount from 0 to 10⁹")
            check("\(at).ncv", batch.ncv, 0.001...1000, "a net calorific value above 0 and at most 1,000 GJ per unit")
            check("\(at).carbon_content", batch.carbonContent, 0.000001...0.1, "a carbon content above 0 and at most 0.1 t C/GJ")
            check("\(at).oxidation", batch.oxidation, 0.000001...1, "an oxidation rate above 0 and at most 1")
            check("\(at).emission_factor", batch.emissionFactor, 0...100, "an emission factor from 0 to 100 t CO2/t")
            if kind != .combustion, batch.ncv != nil || batch.carbonContent != nil || batch.oxidation != nil {
                problems.append(FieldProblem(field: "\(at).ncv", text: batch.source, reason: "only fuel burned has a calorific value and carbon content"))
            }
            if kind != .process, batch.emissionFactor != nil {
                problems.append(FieldProblem(field: "\(at).emission_factor", text: batch.source, reason: "only a process source has an emission factor"))
            }
        }
        check("generation", generation, 0...1e9, "MWh from 0 to 10⁹")
        check("supply", supply, 0...1e9, "MWh from 0 to 10⁹")
        check("heat_supplied", heatSupplied, 0...1e10, "GJ from 0 to 10¹⁰")
        check("operating_hours", operatingHours, 0...(hoursInMonth ?? 744), "hours from 0 to the hours of the month")
        check("load_factor", loadFactor, 0...1, "a fraction from 0 to 1")
        if let supply, let generation, supply > generation {
            problems.append(FieldProblem(field: "supply", value: supply, reason: "more supplied than generated (\(generation) MWh)"))
        }
        return problems
    }
}

/// A field that cannot be stored, named as the form and the sheet name it.
public struct FieldProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var field: String
    public var value: String
    public var reason: String

    public init(field: String, value: Double, reason: String) {
        (self.field, self.value, self.reason) = (field, "\(value)", reason)
    }
    public init(field: String, text: String, reason: String) { (self.field, self.value, self.reason) = (field, text, reason) }

    public var description: String { "\(field) = \(value): \(reason)" }
}
