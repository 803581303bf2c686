import CarbonKit

/// The numbers an enterprise's annual report is computed and checked with
/// (`Resources/enterprise-reporting.json`): 44/12, the heat factor, the conservative carbon
/// content a coal batch takes when it was not measured, and the checks' plausibility bands.
public struct ReportingRules: Sendable, Decodable {
    struct Valued: Sendable, Decodable { var value: Double }
    struct Heat: Sendable, Decodable { var t_co2_per_gj: Double; var source: String }
    struct Electricity: Sendable, Decodable { var series: String; var source: String }
    struct Conservative: Sendable, Decodable { var source: String; var t_c_per_gj: [String: Double] }
    struct Checks: Sendable, Decodable {
        var measured_ratio_warning: [Double]
        var measured_ratio_error: [Double]
        var meter_difference_warning: Double
        var heat_rate_gj_per_mwh: [Double]
    }

    public var source: String
    var co2_per_carbon: Valued
    var electricity: Electricity
    var heat: Heat
    var conservative_carbon_content: Conservative
    var checks: Checks

    public static let standard: ReportingRules = ReferenceData.load("enterprise-reporting")

    public var co2PerCarbon: Double { co2_per_carbon.value }
    /// The grid series purchased electricity is counted with.
    public var electricitySeries: String { electricity.series }
    public var heatFactor: Double { heat.t_co2_per_gj }
    public var conservativeSource: String { conservative_carbon_content.source }

    /// The carbon content (t C/GJ) an unmeasured batch of `fuel` must take instead of the
    /// guideline's default, when the rules set one.
    public func conservativeCarbonContent(_ fuel: String) -> Double? { conservative_carbon_content.t_c_per_gj[fuel] }

    var warningBand: ClosedRange<Double> { checks.measured_ratio_warning[0]...checks.measured_ratio_warning[1] }
    var errorBand: ClosedRange<Double> { checks.measured_ratio_error[0]...checks.measured_ratio_error[1] }
    var meterDifference: Double { checks.meter_difference_warning }
    var heatRate: ClosedRange<Double> { checks.heat_rate_gj_per_mwh[0]...checks.heat_rate_gj_per_mwh[1] }
}

/// A fuel's default parameters from the factor library, in the report's units.
public struct FuelParameters: Sendable, Equatable, Codable {
    /// The unit amounts are given in: t, or 10^4 m3 for gases.
    public var unit: String
    /// GJ per unit.
    public var ncv: Double
    /// t C per GJ.
    public var carbonContent: Double
    public var oxidation: Double
    /// Which factor set they came from.
    public var factorSet: String

    public init(unit: String, ncv: Double, carbonContent: Double, oxidation: Double, factorSet: String) {
        (self.unit, self.ncv, self.carbonContent, self.oxidation, self.factorSet) = (unit, ncv, carbonContent, oxidation, factorSet)
    }
}

/// What the report's indirect lines are counted with for its year.
public struct IndirectFactors: Sendable, Equatable, Codable {
    /// t CO2 per MWh, and where it comes from (`grid:cn_enterprise_reporting:2022`).
    public var electricity: Double?
    public var electricitySet: String?
    /// t CO2 per GJ.
    public var heat: Double

    public init(electricity: Double?, electricitySet: String?, heat: Double) {
        (self.electricity, self.electricitySet, self.heat) = (electricity, electricitySet, heat)
    }
}
