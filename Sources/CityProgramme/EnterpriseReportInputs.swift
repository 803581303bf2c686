import CarbonAccounting
import CarbonKit
import CarbonMarkets

/// What an enterprise's annual report takes from the factor library: each fuel's default NCV,
/// carbon content and oxidation in the report's units, and the grid factor for its year. The
/// China guideline's set comes first (it has carbon content per unit of heat); IPCC 2006 fills
/// the fuels it lacks, its CO2 per TJ read as carbon × 44/12 with full oxidation.
public enum EnterpriseReportInputs {
    public static func fuelParameters(_ library: FactorLibrary = .standard, rules: ReportingRules = .standard) -> [String: FuelParameters] {
        var result: [String: FuelParameters] = [:]
        if let ipcc = library.sets["IPCC2006"] {
            for fuel in ipcc.fuels {
                let records = ipcc.records(for: fuel)
                guard let ncv = records.first(where: { $0.quantity == "ncv" && $0.unit == "TJ/Gg" }),
                      let co2 = records.first(where: { $0.quantity == "CO2" && $0.unit == "kg/TJ" && $0.technology == nil }) else { continue }
                // TJ/Gg is GJ/t; kg CO2/TJ ÷ 10⁶ is t CO2/GJ.
                result[fuel] = FuelParameters(unit: "t", ncv: ncv.value, carbonContent: co2.value / 1_000_000 / rules.co2PerCarbon,
                                              oxidation: 1, factorSet: ipcc.name)
            }
        }
        if let china = library.sets["CN2011"] {
            for fuel in china.fuels {
                let records = china.records(for: fuel)
                guard let ncv = records.first(where: { $0.quantity == "ncv" }),
                      let content = records.first(where: { $0.quantity == "carbon_content" && $0.unit == "t/TJ" }),
                      let oxidation = records.first(where: { $0.quantity == "oxidation" }) else { continue }
                // kJ/kg is GJ/t; 1 kJ/m³ over 10⁴ m³ is 10⁴ kJ = 0.01 GJ, so GJ per 10⁴ m³ is kJ/m³ × 0.01.
                let (unit, gj): (String, Double) = switch ncv.unit {
                case "kJ/kg": ("t", ncv.value / 1000)
                case "kJ/m3": ("10^4 m3", ncv.value * 0.01)
                default: ("", .nan)
                }
                guard gj.isFinite else { continue }
                result[fuel] = FuelParameters(unit: unit, ncv: gj, carbonContent: content.value / 1000, oxidation: oxidation.value,
                                              factorSet: china.name)
            }
        }
        return result
    }

    /// The grid factor of the rules' series for the latest year not after `year`, and the heat factor.
    public static func indirectFactors(year: Int, _ library: FactorLibrary = .standard, rules: ReportingRules = .standard) -> IndirectFactors {
        let years = (library.gridSeries[rules.electricitySeries] ?? []).filter { $0 <= year }
        guard let chosen = years.max() else { return IndirectFactors(electricity: nil, electricitySet: nil, heat: rules.heatFactor) }
        let name = "grid:\(rules.electricitySeries):\(chosen)"
        let record = library.sets[name]?.records(for: "electricity").first { $0.quantity == "CO2" }
        // kg/kWh and t/MWh are the same number; g/kWh is a thousandth of it.
        let value = record.flatMap { $0.unit == "g/kWh" ? $0.value / 1000 : ["kg/kWh", "t/MWh"].contains($0.unit) ? $0.value : nil }
        return IndirectFactors(electricity: value, electricitySet: value == nil ? nil : name, heat: rules.heatFactor)
    }

    /// A metered amount in a report line's unit, when the two units measure the same thing.
    public static func convert(_ amount: Double, from unit: String, to lineUnit: String) -> Double? {
        let scale: [String: (dimension: String, factor: Double)] = [
            "kWh": ("energy", 0.001), "MWh": ("energy", 1), "GWh": ("energy", 1000),
            "GJ": ("heat", 1), "MJ": ("heat", 0.001), "TJ": ("heat", 1000),
            "m3": ("volume", 1e-4), "10^4 m3": ("volume", 1),
            "kg": ("mass", 0.001), "t": ("mass", 1),
        ]
        guard let from = scale[unit], let to = scale[lineUnit], from.dimension == to.dimension else { return nil }
        return amount * from.factor / to.factor
    }

    /// The inventory sub-sector an enterprise's direct emissions fall in: energy industries (I.4)
    /// for electricity and heat production (GB/T 4754-2017 division 44), manufacturing (I.3) otherwise.
    public static func inventorySubSector(industry: String) -> String { industry.hasPrefix("44") ? "I.4" : "I.3" }
}
