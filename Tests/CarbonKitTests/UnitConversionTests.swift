import Testing
@testable import CarbonKit

@Suite("Units and conversions")
struct UnitConversionTests {
    let units = UnitCatalog.standard

    func convert(_ value: Double, _ from: String, _ to: String) throws -> Double {
        try Quantity(value, units.require(from)).converted(to: units.require(to)).value
    }

    @Test("1 kWh is 3.6 MJ and 1 MWh is 3.6 GJ")
    func electricityUnits() throws {
        #expect(try convert(1, "kWh", "MJ") == 3.6)
        #expect(try convert(1, "MWh", "GJ") == 3.6)
        #expect(try convert(1, "GWh", "TJ") == 3.6)
    }

    @Test("1 kgce is 29,307 kJ (GB/T 2589-2008) and 1 tce is 29.307 GJ")
    func coalEquivalent() throws {
        #expect(try convert(1, "kgce", "kJ") == 29_307)
        #expect(abs(try convert(1, "tce", "GJ") - 29.307) < 1e-12)
        #expect(abs(try convert(1, "10^4 tce", "TJ") - 293.07) < 1e-9)
    }

    @Test("1 toe is 41.868 GJ and 1 kcal is 4.1868 kJ")
    func oilEquivalentAndCalories() throws {
        #expect(abs(try convert(1, "toe", "GJ") - 41.868) < 1e-12)
        #expect(abs(try convert(1, "kcal", "kJ") - 4.1868) < 1e-12)
    }

    @Test("Masses: 1 Gg is 1,000 t, 1 Mt is 10^9 kg, 10^4 t is 10,000 t")
    func masses() throws {
        #expect(try convert(1, "Gg", "t") == 1000)
        #expect(try convert(1, "Mt", "kg") == 1e9)
        #expect(try convert(1, "10^4 t", "t") == 10_000)
        #expect(abs(try convert(1, "lb", "kg") - 0.45359237) < 1e-15)
    }

    @Test("Volumes: 1,000 L is 1 m3 and 10^4 m3 is 10,000 m3")
    func volumes() throws {
        #expect(try convert(1000, "L", "m3") == 1)
        #expect(try convert(1, "10^4 m3", "m3") == 10_000)
        #expect(try convert(1, "10^8 m3", "10^4 m3") == 10_000)
    }

    @Test("Aliases and Chinese unit names read as their units")
    func aliases() throws {
        #expect(try units.require("万吨").symbol == "10^4 t")
        #expect(try units.require("tonnes").symbol == "t")
        #expect(try units.require("万m3").symbol == "10^4 m3")
    }

    @Test("Mass to energy is refused without a net calorific value")
    func massToEnergyNeedsNCV() throws {
        let t = try units.require("t"), tj = try units.require("TJ")
        #expect(throws: UnitError.needsCalorificValue(from: t, to: tj)) { try Quantity(1, t).converted(to: tj) }
    }

    @Test("Volume to mass is refused without a density")
    func volumeToMassNeedsDensity() throws {
        let litre = try units.require("L"), kg = try units.require("kg")
        #expect(throws: UnitError.needsDensity(from: litre, to: kg)) { try Quantity(1, litre).converted(to: kg) }
    }

    @Test("With a fuel's NCV, 1 t of natural gas (48.0 TJ/Gg, IPCC 2006 Table 1.2) is 0.048 TJ")
    func massToEnergyWithNCV() throws {
        let gas = FuelProperties(joulesPerKilogram: 48.0e12 / 1e6)
        let energy = try gas.convert(Quantity(1, units.require("t")), to: units.require("TJ"))
        #expect(abs(energy.value - 0.048) < 1e-15)
    }

    @Test("With NCV and density, volume converts to energy; with NCV alone it is refused for lack of density")
    func volumeToEnergy() throws {
        let gasoline = FuelProperties(joulesPerKilogram: 44.3e12 / 1e6, kilogramsPerCubicMetre: 745.3)
        let energy = try gasoline.convert(Quantity(1000, units.require("L")), to: units.require("GJ"))
        #expect(abs(energy.value - 0.7453 * 44.3) < 1e-9)
        let noDensity = FuelProperties(joulesPerKilogram: 44.3e9)
        let litre = try units.require("L"), gj = try units.require("GJ")
        #expect(throws: UnitError.needsDensity(from: litre, to: gj)) { try noDensity.convert(Quantity(1, litre), to: gj) }
    }

    @Test("An unknown unit suggests the nearest one")
    func unknownUnit() {
        #expect(throws: UnitError.unknownUnit("Tj", suggestion: "TJ")) { try units.require("Tj") }
    }
}

@Suite("Grouped numbers")
struct GroupedNumberTests {
    @Test("Thousands are grouped, decimals fixed, and a negative zero prints without sign")
    func format() {
        #expect(GroupedNumber.format(1_234_567.849, decimals: 1) == "1,234,567.8")
        #expect(GroupedNumber.format(-15_840.2, decimals: 0, minus: "−") == "−15,840")
        #expect(GroupedNumber.format(-0.001, decimals: 1) == "0.0")
        #expect(GroupedNumber.format(.infinity, decimals: 1) == "–")
    }
}
