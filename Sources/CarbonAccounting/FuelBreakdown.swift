import CarbonKit

/// What each fuel gives of a part of an inventory (a sub-sector of a district in a year): the
/// part's activity rows split by fuel, each group computed by the same engine, factors and GWP
/// set as the whole, so the fuels add up to the figure the inventory shows. A row without a
/// fuel (a process, waste by mass) is its own group, named by nothing; a row that carries a
/// notation key instead of an amount gives no emissions and is left out.
public struct FuelBreakdown: Sendable, Equatable {
    public struct Part: Sendable, Equatable {
        /// The fuel's key (`natural_gas`), nil for rows that name none.
        public var fuel: String?
        public var co2eTonnes: Double
        public var rows: Int
    }

    public var year: Int
    public var gpcRef: String
    /// Largest first.
    public var parts: [Part]
    public var co2eTonnes: Double { parts.reduce(0) { $0 + $1.co2eTonnes } }

    /// - Parameters:
    ///   - table: the rows of the inventory (its published rows, for a published figure).
    ///   - jurisdictions: the jurisdiction and every one below it.
    ///   - gpcRef: a reference (`I.1.1`) or a sub-sector (`I.1`): every reference under it.
    public static func of(_ table: ActivityTable, year: Int, jurisdictions: Set<String>, gpcRef: String, gwp: GWPSet,
                          library: FactorLibrary, tree: JurisdictionTree?) throws(InputErrors) -> FuelBreakdown {
        var groups: [String?: [ActivityRecord]] = [:]
        for i in 0..<table.count {
            let row = table[i]
            guard row.year == year, jurisdictions.contains(row.jurisdiction), row.gpcRef == gpcRef || row.gpcRef.hasPrefix(gpcRef + "."),
                  row.notationKey == nil else { continue }
            groups[row.fuel, default: []].append(row)
        }
        let validator = ActivityValidator(library: library, jurisdictions: tree)
        var parts: [Part] = []
        for (fuel, rows) in groups {
            let inventory = try InventoryEngine.compute(try validator.validate(ActivityTable(rows), file: nil), gwp: gwp, library: library,
                                                        jurisdictions: tree, fingerprint: false)
            parts.append(Part(fuel: fuel, co2eTonnes: inventory.cells.reduce(0) { $0 + $1.co2eTonnes }, rows: rows.count))
        }
        parts.sort { ($0.co2eTonnes, $1.fuel ?? "") > ($1.co2eTonnes, $0.fuel ?? "") }
        return FuelBreakdown(year: year, gpcRef: gpcRef, parts: parts)
    }
}
