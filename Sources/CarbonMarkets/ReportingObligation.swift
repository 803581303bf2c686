/// Which enterprises must report their emissions each year, by the rule held as data
/// (`Resources/reporting-obligations.json`): an enterprise of a covered sector whose emissions
/// or energy use reached the threshold in any of the years considered.
public struct ReportingObligation: Sendable, Decodable {
    public struct Sector: Sendable, Decodable {
        public var sector: String
        public var industries: [String]
    }

    public var source: String
    public var threshold_tonnes_co2e: Double
    public var threshold_tce: Double
    public var years_considered: Int
    public var sectors: [Sector]

    public static let standard: ReportingObligation = ReferenceData.load("reporting-obligations")

    /// The covered sector of a GB/T 4754 industry class (four digits), nil when none covers it.
    public func sector(of industry: String) -> String? {
        sectors.first { $0.industries.contains(industry) }?.sector
    }

    /// Why an enterprise must report for `year`, or nil: its sector, and the first year among
    /// the `years_considered` before it whose emissions (t CO2e) or energy use (tce) reached a threshold.
    public func reason(year: Int, industry: String, emissions: [Int: Double], energyTce: [Int: Double]) -> Reason? {
        guard let sector = sector(of: industry) else { return nil }
        for considered in stride(from: year - 1, through: year - years_considered, by: -1) {
            if let tonnes = emissions[considered], tonnes.isFinite, tonnes >= threshold_tonnes_co2e {
                return Reason(sector: sector, year: considered, emissions: tonnes, energyTce: nil)
            }
            if let tce = energyTce[considered], tce.isFinite, tce >= threshold_tce {
                return Reason(sector: sector, year: considered, emissions: nil, energyTce: tce)
            }
        }
        return nil
    }

    public struct Reason: Sendable, Equatable {
        public var sector: String
        /// The year that crossed a threshold, and by which measure.
        public var year: Int
        public var emissions: Double?
        public var energyTce: Double?
    }
}
