/// Primary PM2.5 emitted per GJ of fuel burnt, by GPC sector and fuel, from a stated inventory
/// guidebook (`Resources/pm25-emission-factors.json`). A fuel switch changes the energy a sector
/// burns of each fuel; these factors turn that change into tonnes of PM2.5.
public struct PM25EmissionFactors: Sendable, Decodable {
    public struct Factor: Sendable, Decodable, Equatable {
        /// A GPC sector (`I.1`) or sub-sector (`I.1.1`): the factor applies to it and below.
        public var sector: String
        public var group: String
        public var grams_per_gj: Double
        public var table: String
        public var fuels: [String]
    }

    public var source: String
    public var factors: [Factor]
    /// Carriers that emit nothing where they are used (electricity, heat): 0 g/GJ, not unknown.
    public var no_local_emissions: [String]

    public static let shipped: PM25EmissionFactors = ShippedData.load("pm25-emission-factors")

    /// The factor for `fuel` burnt in `sector` (`I.1`, or any GPC reference below it), if one is stated.
    public func factor(sector: String, fuel: String) -> Factor? {
        if no_local_emissions.contains(fuel) { return Factor(sector: sector, group: "carrier", grams_per_gj: 0, table: "", fuels: [fuel]) }
        return factors.first { factor in
            factor.fuels.contains(fuel) && (sector == factor.sector || sector.hasPrefix(factor.sector + "."))
        }
    }

    /// Tonnes of primary PM2.5 from `terajoules` of `fuel` in `sector`: g/GJ is kg/TJ.
    public func tonnes(sector: String, fuel: String, terajoules: Double) -> Double? {
        factor(sector: sector, fuel: fuel).map { $0.grams_per_gj * terajoules / 1000 }
    }
}
