import CarbonAccounting
import CarbonKit
import CarbonMarkets
import Testing
@testable import CityProgramme

/// The factor library's numbers in the units of an enterprise's annual report.
@Suite("Enterprise report inputs from the factor library")
struct EnterpriseReportInputsTests {
    let fuels = EnterpriseReportInputs.fuelParameters()

    @Test("Raw coal from the China guideline (NDRC 2011): 20,908 kJ/kg → 20.908 GJ/t, 26.37 t C/TJ → 0.02637 t C/GJ, oxidation 0.94")
    func coal() throws {
        let coal = try #require(fuels["raw_coal"])
        #expect(coal == FuelParameters(unit: "t", ncv: 20.908, carbonContent: 0.02637, oxidation: 0.94, factorSet: "CN2011"))
    }

    @Test("Natural gas in 10⁴ m³: 38,931 kJ/m³ → 389.31 GJ per 10⁴ m³; 15.3 t C/TJ; oxidation 0.99")
    func gas() throws {
        let gas = try #require(fuels["natural_gas"])
        #expect(gas.unit == "10^4 m3" && abs(gas.ncv - 389.31) < 1e-9 && abs(gas.carbonContent - 0.0153) < 1e-12 && gas.oxidation == 0.99)
    }

    @Test("A fuel only IPCC 2006 has: other bituminous coal 25.8 GJ/t, 94,600 kg CO2/TJ read as 0.0258 t C/GJ, fully oxidised")
    func ipccFallback() throws {
        let coal = try #require(fuels["other_bituminous_coal"])
        #expect(coal.factorSet == "IPCC2006" && coal.ncv == 25.8 && coal.oxidation == 1)
        #expect(abs(coal.carbonContent * 44 / 12 - 0.0946) < 1e-12)
    }

    @Test("Electricity for 2024 takes the 2022 enterprise-reporting factor, 0.5703 t/MWh; a year before the series has none")
    func electricity() {
        let factors = EnterpriseReportInputs.indirectFactors(year: 2024)
        #expect(factors.electricity == 0.5703 && factors.electricitySet == "grid:cn_enterprise_reporting:2022" && factors.heat == 0.11)
        #expect(EnterpriseReportInputs.indirectFactors(year: 2020).electricity == nil)
    }
}
