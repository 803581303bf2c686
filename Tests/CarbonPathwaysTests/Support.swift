@testable import CarbonPathways

/// A two-district, two-sector city: residential heat from gas and electricity, industry on
/// coal and electricity, and a landfill without energy. Factors: gas 56.1 t/TJ (IPCC 2006),
/// coal 94.6 t/TJ (IPCC 2006 other bituminous coal), electricity 150 t/TJ (0.54 kg/kWh).
enum Fixture {
    static let base = PathwayBase(year: 2020, cells: [
        .init(district: "North", sector: "residential", fuel: "natural_gas", energyTJ: 1000, emissionsTonnes: 56_100),
        .init(district: "North", sector: "residential", fuel: "electricity", energyTJ: 500, emissionsTonnes: 75_000),
        .init(district: "North", sector: "industry", fuel: "coal", energyTJ: 2000, emissionsTonnes: 189_200),
        .init(district: "North", sector: "industry", fuel: "electricity", energyTJ: 800, emissionsTonnes: 120_000),
        .init(district: "South", sector: "residential", fuel: "natural_gas", energyTJ: 400, emissionsTonnes: 22_440),
        .init(district: "South", sector: "waste", fuel: nil, energyTJ: 0, emissionsTonnes: 30_000),
    ], districts: ["North": .init(population: 600_000, gdp: 500), "South": .init(population: 400_000, gdp: 300)], gdpUnit: "10^8 CNY")

    static func scenario(measures: [Measure] = [], endYear: Int = 2060) -> Scenario {
        var s = Scenario(identifier: "test", name: ["en": "Test"], kind: .planned, jurisdiction: "Test City",
                         base: BaseSpec(year: 2020), endYear: endYear, measures: measures)
        s.sectors = [SectorSpec(id: "residential", driver: .population), SectorSpec(id: "industry", driver: .gdp),
                     SectorSpec(id: "waste", driver: .population)]
        s.drivers = Drivers(population: ["all": .growth(0.01)], gdp: ["all": .growth(0.05)])
        s.fuels = ["electricity": FuelSpec(factor: .values([2020: 0.54, 2060: 0.0])), "heat_pump_heat": FuelSpec(tonnesPerTJ: 0)]
        return s
    }

    static func measure(_ id: String, _ kind: Measure.Kind, _ configure: (inout Measure) -> Void) -> Measure {
        var m = Measure(id: id, kind: kind)
        configure(&m)
        return m
    }

    static var overlapping: [Measure] {
        [
            measure("electrify-heat", .electrification) { $0.sectors = ["residential"]; $0.from = ["natural_gas"]; $0.share = 0.8; $0.energyRatio = 0.35
                $0.ramp = Ramp(start: 2022, full: 2040, shape: .sCurve) },
            measure("coal-out", .coalPhaseOut) { $0.to = "electricity"; $0.ramp = Ramp(start: 2021, full: 2035) },
            measure("efficiency", .efficiency) { $0.reduction = 0.25; $0.ramp = Ramp(start: 2020, full: 2030) },
            measure("rooftop-pv", .renewables) { $0.share = 0.3; $0.ramp = Ramp(start: 2023, full: 2033) },
            measure("landfill-gas", .action) { $0.sectors = ["waste"]; $0.reductions = ["2025": 10_000, "2030": 50_000] },
        ]
    }
}

func close(_ a: Double, _ b: Double, relative: Double = 1e-9) -> Bool {
    abs(a - b) <= relative * max(1, abs(a), abs(b))
}
