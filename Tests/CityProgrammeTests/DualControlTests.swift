import Testing
@testable import CityProgramme

/// A worked example of dual control, in the shape of a Chinese city's statistics: 2020 and
/// 2025 at 2020 prices.
///
/// 2020: GDP 16,000 × 10^8 CNY, energy 4,000 × 10^4 tce, energy CO2 8,800 × 10^4 t.
///       energy intensity 4.0e7 / 1.6e8 = 0.25 tce per 10^4 CNY; CO2 intensity 0.55 t.
/// 2025: GDP 20,000 × 10^8 CNY (2020 prices), energy 4,325 × 10^4 tce, CO2 8,580 × 10^4 t.
///       energy intensity 0.21625 (13.5 % lower, the 14th FYP's national goal);
///       CO2 intensity 0.429 (22 % lower).
@Suite("Energy and carbon dual control")
struct DualControlTests {
    static func year(_ year: Int, gdp: Double, energy: Double, co2: Double, base: Int = 2020, method: JurisdictionStatistic.EnergyMethod = .equivalent) -> DualControl {
        var s = JurisdictionStatistic(jurisdiction: "City", year: year, gdp: gdp * 1.1, gdpUnit: "10^8 CNY")
        (s.gdpConstant, s.gdpConstantBaseYear, s.energyTce, s.energyMethod) = (gdp, base, energy, method)
        return DualControl(year: year, statistics: s, energyCO2Tonnes: co2)
    }
    static let y2020 = year(2020, gdp: 16_000, energy: 4.0e7, co2: 8.8e7)
    static let y2025 = year(2025, gdp: 20_000, energy: 4.325e7, co2: 8.58e7)

    @Test func intensitiesArePerTenThousandAtConstantPrices() {
        #expect(abs(Self.y2020.energyIntensity! - 0.25) < 1e-12 && abs(Self.y2020.co2Intensity! - 0.55) < 1e-12)
        #expect(abs(Self.y2025.energyIntensity! - 0.21625) < 1e-12 && abs(Self.y2025.co2Intensity! - 0.429) < 1e-12)
        #expect(Self.y2025.intensityUnit == "10^4 CNY (2020 prices)")
    }

    @Test func reductionsAgainstTheBaseYear() {
        #expect(abs(Self.y2025.energyIntensityReduction(since: Self.y2020)! - 0.135) < 1e-12)
        #expect(abs(Self.y2025.co2IntensityReduction(since: Self.y2020)! - 0.22) < 1e-12)
    }

    @Test func yearsAtOtherPricesOrCountedOtherwiseAreNotCompared() {
        let otherPrices = Self.year(2025, gdp: 20_000, energy: 4.325e7, co2: 8.58e7, base: 2015)
        #expect(otherPrices.energyIntensityReduction(since: Self.y2020) == nil && otherPrices.co2IntensityReduction(since: Self.y2020) == nil)
        let calorific = Self.year(2025, gdp: 20_000, energy: 3.9e7, co2: 8.58e7, method: .calorific)
        #expect(calorific.energyIntensityReduction(since: Self.y2020) == nil)
        #expect(calorific.co2IntensityReduction(since: Self.y2020) != nil)
    }

    @Test func withoutConstantPricesThereIsNoIntensity() {
        var s = Self.y2020.statistics
        s.gdpConstant = nil
        let current = DualControl(year: 2020, statistics: s, energyCO2Tonnes: 8.8e7)
        #expect(current.energyIntensity == nil && current.co2Intensity == nil && current.intensityUnit == nil)
    }
}
