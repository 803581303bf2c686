import Foundation
import Testing
@testable import AirQuality

/// The numbers a health estimate rests on, against their publications.
struct HealthInputsTests {
    @Test("Intake fractions are Apte et al. (2012)'s population-weighted means by city size, at 14.5 m³ a day")
    func intakeFractions() {
        let shipped = IntakeFractions.shipped
        #expect(shipped.classes.map(\.ppm) == [65, 35, 15])
        #expect(shipped.breathing_rate_m3_per_day == 14.5)
        #expect(shipped.interquartile_ppm == [14, 52])
        #expect(shipped.sizeClass(population: 3_500_000).ppm == 65)
        #expect(shipped.sizeClass(population: 3_000_000).ppm == 65)
        #expect(shipped.sizeClass(population: 2_999_999).ppm == 35)
        #expect(shipped.sizeClass(population: 150_000).ppm == 15)
    }

    @Test("One tonne a year at 1 ppm in a city of a million is 1 g breathed a year: 0.000189 µg/m³")
    func concentrationChange() throws {
        let change = try #require(IntakeFractions.shipped.concentrationChange(tonnesPerYear: 1, population: 1_000_000, ppm: 1))
        #expect(abs(change - 1e6 / 365 / (1_000_000 * 14.5)) < 1e-15)
        #expect(abs(change - 0.000189) < 1e-6)
        #expect(IntakeFractions.shipped.concentrationChange(tonnesPerYear: -1, population: 1_000_000, ppm: 1)! < 0, "more emitted, dirtier air")
        #expect(IntakeFractions.shipped.concentrationChange(tonnesPerYear: 1, population: 0, ppm: 1) == nil)
        #expect(IntakeFractions.shipped.concentrationChange(tonnesPerYear: .nan, population: 1, ppm: 1) == nil)
    }

    @Test("PM2.5 factors are EMEP/EEA 2023 Tier 1 for homes: coal 398, gas 1.2, liquid 1.9, wood 740 g/GJ")
    func emissionFactors() throws {
        let f = PM25EmissionFactors.shipped
        #expect(f.factor(sector: "I.1", fuel: "raw_coal")?.grams_per_gj == 398)
        #expect(f.factor(sector: "I.1.1", fuel: "natural_gas")?.grams_per_gj == 1.2, "a sub-sector takes its sector's factor")
        #expect(f.factor(sector: "I.1", fuel: "lpg")?.grams_per_gj == 1.2)
        #expect(f.factor(sector: "I.1", fuel: "gas_diesel_oil")?.grams_per_gj == 1.9)
        #expect(f.factor(sector: "I.1", fuel: "wood")?.grams_per_gj == 740)
        #expect(f.factor(sector: "I.10", fuel: "raw_coal") == nil, "I.10 is not below I.1")
        #expect(f.factor(sector: "II.1", fuel: "gasoline") == nil)
        #expect(f.tonnes(sector: "I.1", fuel: "raw_coal", terajoules: 1_000) == 398)
        #expect(f.tonnes(sector: "II.1", fuel: "electricity", terajoules: 1_000) == 0, "electricity burns nothing where it is used")
        let fuels = f.factors.flatMap(\.fuels)
        #expect(Set(fuels).count == fuels.count, "a fuel belongs to one group")
    }

    @Test("Values of a statistical life are OECD (2012) USD 3 million at 2005 prices and US EPA USD 7.4 million at 2006 prices")
    func statisticalLife() throws {
        let oecd = try #require(StatisticalLife.shipped.value("oecd-2012"))
        #expect(oecd.amount == 3_000_000 && oecd.low == 1_500_000 && oecd.high == 4_500_000 && oecd.currency == "USD" && oecd.price_year == 2005)
        let epa = try #require(StatisticalLife.shipped.value("us-epa-2006"))
        #expect(epa.amount == 7_400_000 && epa.price_year == 2006)
        #expect(StatisticalLife.shipped.value(StatisticalLife.standard) != nil)
    }
}
