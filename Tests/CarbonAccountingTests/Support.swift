import CarbonKit
import Testing
@testable import CarbonAccounting

/// Kilograms of each gas per one `unit` of `fuel` in GPC row `ref`, as the library resolves them.
func factors(_ set: String, _ fuel: String, _ ref: String, _ unit: String = "TJ", technology: String? = nil) throws -> [String: Double] {
    let library = FactorLibrary.standard
    let resolved = try library.set(named: set).resolve(
        fuel: #require(library.fuels[fuel]), entry: #require(library.taxonomy.entry(ref)), technology: technology,
        unit: UnitCatalog.standard.require(unit))
    return Dictionary(uniqueKeysWithValues: resolved.gases.map { ($0.gas.key, $0.kgPerActivityUnit) })
}

/// The inventory of a CSV text.
func inventory(_ csv: String, gwp: String = "AR5", jurisdictions: JurisdictionTree? = nil, library: FactorLibrary = .standard) throws -> Inventory {
    let activities = try ActivityCSV.read(csv, file: "test.csv", library: library, jurisdictions: jurisdictions)
    return try InventoryEngine.compute(activities, gwp: GasCatalog.standard.gwpSet(gwp), library: library, jurisdictions: jurisdictions)
}

/// The problems a CSV text has.
func issues(_ csv: String, jurisdictions: JurisdictionTree? = nil) -> [InputIssue] {
    do {
        _ = try ActivityCSV.read(csv, file: "test.csv", jurisdictions: jurisdictions)
        return []
    } catch {
        return error.issues
    }
}

func close(_ a: Double?, _ b: Double, relative: Double = 1e-9) -> Bool {
    guard let a else { return false }
    return abs(a - b) <= relative * max(1, abs(b))
}

let header = "year,jurisdiction,gpc_ref,fuel,amount,unit,factor_set,co2_kg_per_unit,ch4_kg_per_unit,n2o_kg_per_unit,gas,td_loss_rate,notation_key,ie_ref,ad_quality,ef_quality,source,note\n"
