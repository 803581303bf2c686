import CarbonKit

/// Energy and BASIC (or BASIC+) emissions by year, jurisdiction, GPC row and fuel: the inventory with
/// its fuel dimension kept, which is what a pathway projects and an LMDI decomposes.
///
/// Emissions come from the inventory engine itself, run once per fuel, so they add up to
/// the inventory's BASIC total to the last bit of rounding. Energy is the activity amount
/// in terajoules: directly for energy units, through the fuel's net calorific value (and
/// density) for mass and volume; `nil` where no calorific value is known.
public struct EnergyBalance: Sendable {
    public struct Row: Sendable, Hashable {
        public var year: Int
        public var jurisdiction: String
        public var gpcRef: String
        public var fuel: String?
        public var energyTJ: Double?
        public var co2eTonnes: Double
    }

    public var rows: [Row]

    public static func compute(_ table: ActivityTable, library: FactorLibrary = .standard, jurisdictions: JurisdictionTree? = nil,
                               gwp: GWPSet, basicPlus: Bool = false) throws(InputErrors) -> EnergyBalance {
        let validator = ActivityValidator(library: library, jurisdictions: jurisdictions)
        let groups = Dictionary(grouping: table.records, by: { $0.fuel ?? "" })
        struct Key: Hashable { var year: Int; var jurisdiction: String; var ref: String }
        var rows: [Row] = []
        let terajoule = MeasureUnit(symbol: "TJ", dimension: .energy, baseUnitsPerUnit: 1e12, name: "terajoule")
        for fuel in groups.keys.sorted() {
            let records = groups[fuel]!
            let inventory = try InventoryEngine.compute(try validator.validate(ActivityTable(records), file: nil), gwp: gwp,
                                                        library: library, jurisdictions: jurisdictions, fingerprint: false)
            var energy: [Key: Double?] = [:]
            for record in records {
                let key = Key(year: record.year, jurisdiction: record.jurisdiction, ref: record.gpcRef)
                let tj = library.terajoules(of: record, unit: terajoule)
                if let existing = energy[key] { energy[key] = existing.flatMap { a in tj.map { a + $0 } } } else { energy[key] = tj }
            }
            for cell in inventory.cells where (cell.level == .basic || basicPlus && cell.level == .basicPlus) && cell.rows > 0 {
                let key = Key(year: cell.year, jurisdiction: cell.jurisdiction, ref: cell.gpcRef)
                let isEnergyRow = cell.gpcRef.hasPrefix("I.") || cell.gpcRef.hasPrefix("II.")
                rows.append(Row(year: cell.year, jurisdiction: cell.jurisdiction, gpcRef: cell.gpcRef, fuel: fuel.isEmpty ? nil : fuel,
                                energyTJ: isEnergyRow && cell.scope != 3 ? (energy[key] ?? nil) : nil, co2eTonnes: cell.co2eTonnes))
            }
        }
        return EnergyBalance(rows: rows)
    }
}

extension FactorLibrary {
    /// The energy of one activity row in `unit`, when the amount is energy or the fuel has a
    /// net calorific value in the row's factor set, IPCC 2006 or the China guideline.
    func terajoules(of record: ActivityRecord, unit terajoule: MeasureUnit) -> Double? {
        guard let amount = record.amount, let symbol = record.unit, let from = units.unit(symbol) else { return nil }
        if from.dimension == .energy { return amount * from.baseUnitsPerUnit / terajoule.baseUnitsPerUnit }
        guard let fuel = record.fuel else { return nil }
        for name in [record.factorSet, Self.defaultSetName, "CN2011"].compactMap({ $0 }) {
            guard let set = try? set(named: name) else { continue }
            var properties = FuelProperties()
            for r in set.records(for: fuel) where r.technology == nil || r.isDefaultTechnology {
                guard let (numerator, denominator) = try? units.ratio(r.unit) else { continue }
                let value = r.value * numerator.baseUnitsPerUnit / denominator.baseUnitsPerUnit
                switch (r.quantity, denominator.dimension) {
                case ("ncv", .mass): properties.joulesPerKilogram = properties.joulesPerKilogram ?? value
                case ("ncv", .volume): properties.joulesPerCubicMetre = properties.joulesPerCubicMetre ?? value
                case ("density", _): properties.kilogramsPerCubicMetre = properties.kilogramsPerCubicMetre ?? value
                default: break
                }
            }
            if let factor = try? properties.factor(from: from, to: terajoule) { return amount * factor }
        }
        return nil
    }
}
