import CarbonKit
import Foundation

/// The factors that apply to one kind of activity row, each already per unit of the row's
/// activity: the engine then only multiplies.
public struct ResolvedFactors: Sendable, Hashable {
    public struct GasFactor: Sendable, Hashable {
        public let gas: Gas
        /// Kilograms of the gas per one unit of activity as the row states it.
        public let kgPerActivityUnit: Double
        /// The number as published, with its unit and source, for the audit trail.
        public let published: String
    }

    public let factorSet: String
    public let gases: [GasFactor]
    public let sources: [String]
    public let defaultEFQuality: DataQuality?
}

/// Which column of an activity row a factor problem should be blamed on.
public enum FactorProblemColumn: String, Sendable {
    case fuel, unit, technology, factorSet = "factor_set", gpcRef = "gpc_ref"
}

/// Why no factor fits an activity row.
public struct FactorProblem: Error, Sendable, Hashable {
    public let column: FactorProblemColumn
    public let reason: String
    public let suggestion: String?

    init(_ column: FactorProblemColumn, _ reason: String, suggestion: String? = nil) {
        self.column = column
        self.reason = reason
        self.suggestion = suggestion
    }
}

extension FactorSet {
    /// The factors this set gives `fuel` burned (or consumed) in GPC row `entry`, converted to
    /// kilograms per one `unit` of activity.
    ///
    /// The most specific `applies_to` wins; a named technology picks its own row; carbon
    /// content × oxidation × 44/12 stands in for a missing CO2 factor (the China-guideline
    /// method). Every gas in ``requiredGases`` must be found, or nothing is returned.
    public func resolve(fuel: Fuel, entry: GPCEntry, technology: String?, unit: MeasureUnit,
                        units: UnitCatalog = .standard, gases catalog: GasCatalog = .standard) throws(FactorProblem) -> ResolvedFactors {
        let records = records(for: fuel.key)
        guard !records.isEmpty else {
            throw FactorProblem(.fuel, "factor set \(name) has no factors for \(fuel.key)")
        }
        let shared = self.records(for: "*")

        func best(_ quantity: String, in pool: [FactorRecord]) throws(FactorProblem) -> FactorRecord? {
            var candidates: [(FactorRecord, Int)] = []
            for record in pool where record.quantity == quantity {
                if let depth = record.specificity(for: entry) { candidates.append((record, depth)) }
            }
            guard let top = candidates.map(\.1).max() else { return nil }
            let chosen = candidates.filter { $0.1 == top }.map(\.0)
            let generic = chosen.filter { $0.technology == nil }
            let named = chosen.filter { $0.technology != nil }
            if let technology {
                if let exact = named.first(where: { $0.technology == technology }) { return exact }
                if let any = generic.first { return any }
                throw FactorProblem(.technology, "\(name) has no \(quantity) factor for \(fuel.key) with technology '\(technology)' in \(entry.ref)",
                                    suggestion: "one of: " + Set(named.compactMap(\.technology)).sorted().joined(separator: ", "))
            }
            if let any = generic.first { return any }
            if let preferred = named.first(where: \.isDefaultTechnology) { return preferred }
            if !named.isEmpty {
                throw FactorProblem(.technology, "\(name) has several \(quantity) factors for \(fuel.key) in \(entry.ref): name the technology",
                                    suggestion: "technology one of: " + Set(named.compactMap(\.technology)).sorted().joined(separator: ", "))
            }
            return nil
        }

        // Fuel properties for converting the activity into the factor's unit.
        var properties = FuelProperties()
        var used: [FactorRecord] = []
        if let ncv = try best("ncv", in: records) {
            let (energy, per) = try ratio(ncv, units)
            let joules = ncv.value * energy.baseUnitsPerUnit / per.baseUnitsPerUnit
            if per.dimension == .mass { properties.joulesPerKilogram = joules } else { properties.joulesPerCubicMetre = joules }
            used.append(ncv)
        }
        if let density = try best("density", in: records) {
            let (mass, volume) = try ratio(density, units)
            properties.kilogramsPerCubicMetre = density.value * mass.baseUnitsPerUnit / volume.baseUnitsPerUnit
            used.append(density)
        }

        var factors: [ResolvedFactors.GasFactor] = []
        var found: Set<String> = []
        let gasKeys = Set(records.filter { !$0.isProperty }.map(\.quantity))
        for key in gasKeys.sorted() {
            guard let record = try best(key, in: records) else { continue }
            let gas: Gas
            do { gas = try catalog.gas(key) } catch { throw FactorProblem(.factorSet, error.description) }
            let (mass, per) = try ratio(record, units)
            let conversion: Double
            do { conversion = try properties.factor(from: unit, to: per) } catch {
                throw FactorProblem(.unit, "\(error.description); \(name) gives \(fuel.key) factors per \(per.symbol)\(missingProperty(error))",
                                    suggestion: "give the amount in \(Self.convertibleUnits(properties, per: per))")
            }
            factors.append(.init(gas: gas, kgPerActivityUnit: record.value * mass.baseUnitsPerUnit * conversion,
                                 published: "\(record.value) \(record.unit)"))
            found.insert(gas.group == .ch4 ? "CH4" : key)
            if gas.isBiogenicCO2 { found.insert("CO2") }
            used.append(record)
        }

        // China provincial guideline: CO2 = NCV × carbon content × oxidation × 44/12.
        if !found.contains("CO2"), let carbon = try best("carbon_content", in: records),
           let oxidation = try best("oxidation", in: records),
           let ratioRecord = try best("co2_per_carbon", in: records + shared) {
            let (carbonMass, per) = try ratio(carbon, units)
            let conversion: Double
            do { conversion = try properties.factor(from: unit, to: per) } catch {
                throw FactorProblem(.unit, "\(error.description)\(missingProperty(error))")
            }
            let kgCO2PerActivity = carbon.value * carbonMass.baseUnitsPerUnit * oxidation.value * ratioRecord.value * conversion
            let gas = fuel.origin == .biogenic ? Gas.co2Biogenic : Gas.co2
            factors.append(.init(gas: gas, kgPerActivityUnit: kgCO2PerActivity,
                                 published: "\(carbon.value) \(carbon.unit) C × \(oxidation.value) oxidation × 44/12"))
            found.insert("CO2")
            used.append(contentsOf: [carbon, oxidation, ratioRecord])
        }

        guard !factors.isEmpty else {
            throw FactorProblem(.gpcRef, "\(name) has no factor for \(fuel.key) in \(entry.ref) (\(entry.subsectorName.en))",
                                suggestion: "give explicit factors (co2_kg_per_unit …) or a factor set that covers it")
        }
        let missing = requiredGases.filter { !found.contains($0) }
        if !missing.isEmpty {
            throw FactorProblem(.gpcRef, "\(name) has no \(missing.joined(separator: "/")) factor for \(fuel.key) in \(entry.ref) (\(entry.subsectorName.en))",
                                suggestion: "give explicit factors (co2_kg_per_unit, ch4_kg_per_unit, n2o_kg_per_unit) or another factor set")
        }
        var sources: [String] = []
        for record in used where !sources.contains(record.source) { sources.append(record.source) }
        return ResolvedFactors(factorSet: name, gases: factors, sources: sources, defaultEFQuality: defaultEFQuality)
    }

    private func ratio(_ record: FactorRecord, _ units: UnitCatalog) throws(FactorProblem) -> (MeasureUnit, MeasureUnit) {
        do { return try units.ratio(record.unit) } catch {
            throw FactorProblem(.factorSet, "\(name) has an unreadable unit '\(record.unit)' for \(record.fuel) \(record.quantity)")
        }
    }

    /// The dimensions an amount can be given in for these properties, as example units.
    static func convertibleUnits(_ properties: FuelProperties, per: MeasureUnit) -> String {
        var examples: [String] = []
        for (dimension, units) in [(Dimension.energy, "TJ, GJ, kWh, tce"), (.mass, "t, kg"), (.volume, "m3, L")]
        where dimension == per.dimension || properties.baseRatio(from: dimension, to: per.dimension) != nil {
            examples.append(units)
        }
        return examples.joined(separator: "; or ")
    }

    private func missingProperty(_ error: UnitError) -> String {
        switch error {
        case .needsCalorificValue: ", and no net calorific value to convert with"
        case .needsDensity: ", and no density to convert with"
        default: ""
        }
    }
}
