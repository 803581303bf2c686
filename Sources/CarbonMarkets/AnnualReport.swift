import CarbonKit

/// An enterprise's annual emission report, computed line by line from its months of evidence:
/// one line per facility and source, `E = Σ FC × NCV × CC × OF × 44/12` over the batches for
/// fuel burned, the declared factor for a process, the grid or heat factor for what was bought.
/// A measured value overrides the library's default; an unmeasured coal carbon content takes
/// the conservative default, so that not measuring never pays.
public struct AnnualReport: Sendable, Equatable, Codable {
    /// Where a line's parameter came from, from best to worst.
    public enum Basis: String, Sendable, Codable, Comparable, CaseIterable {
        case measured, `default`, conservative
        /// Parameters the library lacks and nobody measured: the line cannot be computed.
        case missing

        public static func < (a: Basis, b: Basis) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    public struct Line: Sendable, Equatable, Codable {
        public var facility: String
        public var source: String
        public var kind: EmissionSource.Kind
        public var fuel: String?
        public var unit: String
        /// Amount over the year.
        public var activity: Double
        /// Amount-weighted NCV (GJ/unit) and heat-weighted carbon content (t C/GJ) actually used.
        public var ncv: Double?
        public var carbonContent: Double?
        public var oxidation: Double?
        /// t CO2 per unit, for process, electricity and heat lines.
        public var factor: Double?
        /// The worst basis among the batches, and the share of the heat whose carbon content was measured.
        public var ncvBasis: Basis?
        public var carbonBasis: Basis?
        public var measuredCarbonShare: Double?
        /// t CO2 by month (index 0 = January), and the year's.
        public var monthly: [Double]
        public var tonnes: Double
        /// What the conservative default added over the guideline's default, t CO2.
        public var conservativeSurcharge: Double
        public var monthsReported: Int

        public var isDirect: Bool { kind == .combustion || kind == .process }
        public var key: String { "\(facility)/\(source)" }
    }

    /// How the units ran over the year.
    public struct Operation: Sendable, Equatable, Codable {
        public var generation: Double
        public var supply: Double
        public var heatSupplied: Double
        public var operatingHours: Double
        /// Hours-weighted mean load factor, when any month gave one.
        public var loadFactor: Double?
    }

    public var enterprise: String
    public var year: Int
    public var lines: [Line]
    public var operation: Operation
    public var indirect: IndirectFactors

    public var direct: Double { lines.filter(\.isDirect).reduce(0) { $0 + $1.tonnes } }
    public var indirectTonnes: Double { lines.filter { !$0.isDirect }.reduce(0) { $0 + $1.tonnes } }
    public var total: Double { direct + indirectTonnes }

    /// Computes the report of `year` for `enterprise` from the months deposited. `fuels` holds
    /// the library's defaults by fuel key; a fuel without them needs measured values.
    public static func compute(enterprise: Enterprise, year: Int, months: [MonthlyEvidence], fuels: [String: FuelParameters],
                               indirect: IndirectFactors, rules: ReportingRules = .standard) -> AnnualReport {
        var lines: [Line] = []
        let months = months.filter { $0.year == year }
        for facility in enterprise.facilities {
            let deposits = months.filter { $0.facility == facility.key }
            for source in facility.sources {
                lines.append(line(facility: facility.key, source: source, deposits: deposits, fuels: fuels, indirect: indirect, rules: rules))
            }
        }
        var operation = Operation(generation: 0, supply: 0, heatSupplied: 0, operatingHours: 0, loadFactor: nil)
        var loadHours = 0.0, loadSum = 0.0
        for month in months {
            operation.generation += month.generation ?? 0
            operation.supply += month.supply ?? 0
            operation.heatSupplied += month.heatSupplied ?? 0
            operation.operatingHours += month.operatingHours ?? 0
            if let load = month.loadFactor, let hours = month.operatingHours, hours > 0 { loadHours += hours; loadSum += load * hours }
        }
        operation.loadFactor = loadHours > 0 ? loadSum / loadHours : nil
        return AnnualReport(enterprise: enterprise.creditCode, year: year, lines: lines, operation: operation, indirect: indirect)
    }

    static func line(facility: String, source: EmissionSource, deposits: [MonthlyEvidence], fuels: [String: FuelParameters],
                     indirect: IndirectFactors, rules: ReportingRules) -> Line {
        let defaults = source.fuel.flatMap { fuels[$0] }
        let unit: String = switch source.kind {
        case .combustion: defaults?.unit ?? "t"
        case .process: "t"
        case .purchasedElectricity: "MWh"
        case .purchasedHeat: "GJ"
        }
        var line = Line(facility: facility, source: source.key, kind: source.kind, fuel: source.fuel, unit: unit, activity: 0,
                        monthly: Array(repeating: 0, count: 12), tonnes: 0, conservativeSurcharge: 0, monthsReported: 0)
        var heat = 0.0, carbon = 0.0, measuredHeat = 0.0, oxidised = 0.0
        var ncvBasis = Basis.measured, carbonBasis = Basis.measured, factorMissing = false
        for month in deposits {
            let batches = month.batches.filter { $0.source == source.key }
            if !batches.isEmpty { line.monthsReported += 1 }
            for batch in batches {
                line.activity += batch.amount
                var tonnes = 0.0
                switch source.kind {
                case .combustion:
                    let ncv = batch.ncv ?? defaults?.ncv
                    ncvBasis = max(ncvBasis, batch.ncv != nil ? .measured : ncv != nil ? .default : .missing)
                    let conservative = source.fuel.flatMap(rules.conservativeCarbonContent)
                    let content = batch.carbonContent ?? conservative ?? defaults?.carbonContent
                    carbonBasis = max(carbonBasis, batch.carbonContent != nil ? .measured
                                                   : conservative != nil ? .conservative : content != nil ? .default : .missing)
                    let oxidation = batch.oxidation ?? defaults?.oxidation ?? 1
                    guard let ncv, let content else { continue }
                    let batchHeat = batch.amount * ncv
                    heat += batchHeat
                    carbon += batchHeat * content
                    oxidised += batchHeat * content * oxidation
                    if batch.carbonContent != nil { measuredHeat += batchHeat }
                    tonnes = batchHeat * content * oxidation * rules.co2PerCarbon
                    if batch.carbonContent == nil, let conservative, let standard = defaults?.carbonContent {
                        line.conservativeSurcharge += batchHeat * (conservative - standard) * oxidation * rules.co2PerCarbon
                    }
                case .process:
                    guard let factor = batch.emissionFactor else { factorMissing = true; continue }
                    tonnes = batch.amount * factor
                case .purchasedElectricity:
                    guard let factor = indirect.electricity else { factorMissing = true; continue }
                    tonnes = batch.amount * factor
                case .purchasedHeat:
                    tonnes = batch.amount * indirect.heat
                }
                line.monthly[month.month - 1] += tonnes
                line.tonnes += tonnes
            }
        }
        switch source.kind {
        case .combustion:
            let anyBatch = line.monthsReported > 0
            line.ncvBasis = anyBatch ? ncvBasis : (defaults == nil ? .missing : .default)
            line.carbonBasis = anyBatch ? carbonBasis : (defaults == nil ? .missing : .default)
            line.ncv = line.activity > 0 && heat > 0 ? heat / line.activity : defaults?.ncv
            line.carbonContent = heat > 0 ? carbon / heat : defaults?.carbonContent
            line.oxidation = carbon > 0 ? oxidised / carbon : defaults?.oxidation
            line.measuredCarbonShare = heat > 0 ? measuredHeat / heat : nil
        case .process:
            line.factor = line.activity > 0 ? line.tonnes / line.activity : nil
            if factorMissing { line.carbonBasis = .missing }
        case .purchasedElectricity:
            line.factor = indirect.electricity
            if factorMissing { line.carbonBasis = .missing }
        case .purchasedHeat:
            line.factor = indirect.heat
        }
        return line
    }
}
