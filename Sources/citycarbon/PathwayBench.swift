import ArgumentParser
import CarbonPathways
import Foundation

/// `citycarbon bench pathway`: Monte Carlo runs of a synthetic city (districts × sectors ×
/// fuels) over a long projection, on every core.
struct PathwayBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pathway",
        abstract: "Time Monte Carlo runs of a synthetic scenario (10 districts × 8 sectors × 6 fuels, 40 years by default).",
        discussion: """
        Builds a synthetic base year and a scenario with eight overlapping measures, two sinks,
        three targets and eight uncertain inputs, then times --repeats Monte Carlo batches of
        --runs runs each and prints every batch, the median and the peak memory.
        """
    )

    @Option(help: "Monte Carlo runs per batch.") var runs = 10_000
    @Option(help: "Timed batches.") var repeats = 5
    @Option(help: "Years projected after the base year.") var years = 40
    @Option(help: "Districts.") var districts = 10
    @Option(help: "Sectors.") var sectors = 8
    @Option(help: "Fuels.") var fuels = 6

    func validate() throws {
        if runs < 1 || repeats < 1 || years < 1 || districts < 1 || sectors < 1 || fuels < 3 {
            throw ValidationError("every count must be at least 1 (fuels at least 3)")
        }
    }

    func run() throws {
        let (scenario, base) = Self.synthetic(districts: districts, sectors: sectors, fuels: fuels, years: years)
        let model = try PathwayModel(scenario, base: base)
        print("citycarbon bench pathway: \(districts) districts × \(sectors) sectors × \(fuels) fuels, \(years + 1) years, \(runs) runs per batch, \(ProcessInfo.processInfo.activeProcessorCount) cores")
        let clock = ContinuousClock()
        _ = MonteCarlo.run(model, runs: min(runs, 200), seed: 1)
        var times: [Double] = []
        var last: MonteCarloResult?
        for batch in 1...repeats {
            let start = clock.now
            last = MonteCarlo.run(model, runs: runs, seed: UInt64(batch))
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            times.append(seconds)
            print(String(format: "batch %d: %.3f s (%.0f runs/s)", batch, seconds, Double(runs) / seconds))
        }
        times.sort()
        let median = times.count % 2 == 1 ? times[times.count / 2] : (times[times.count / 2 - 1] + times[times.count / 2]) / 2
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let final = last!.years.count - 1
        print(String(format: "median: %.3f s for %d runs; peak memory %.0f MB; last batch P10/P50/P90 gross in %d: %.0f / %.0f / %.0f t",
                     median, runs, Double(usage.ru_maxrss) / 1024, last!.years[final],
                     last!.gross.p10[final], last!.gross.p50[final], last!.gross.p90[final]))
    }

    /// A city of `districts` districts whose sectors burn `fuels` fuels (the last is
    /// electricity), with fixed pseudo-random sizes so every run measures the same work.
    static func synthetic(districts: Int, sectors: Int, fuels: Int, years: Int) -> (Scenario, PathwayBase) {
        var random = RandomSource(seed: 2060)
        let fuelNames = (0..<(fuels - 1)).map { "fuel\($0)" } + ["electricity"]
        let sectorNames = (0..<sectors).map { "sector\($0)" }
        var cells: [PathwayBase.Cell] = []
        var figures: [String: PathwayBase.DistrictFigures] = [:]
        for d in 0..<districts {
            let district = "district\(d)"
            figures[district] = .init(population: 200_000 + 800_000 * random.unit(), gdp: 100 + 900 * random.unit())
            for s in sectorNames {
                for (f, fuel) in fuelNames.enumerated() {
                    let energy = 100 + 5000 * random.unit()
                    let factor = fuel == "electricity" ? 150 : 50 + 50 * Double(f) / Double(fuels)
                    cells.append(.init(district: district, sector: s, fuel: fuel, energyTJ: energy, emissionsTonnes: energy * factor))
                }
            }
        }
        let baseYear = 2025
        let base = PathwayBase(year: baseYear, cells: cells, districts: figures, gdpUnit: "10^8 CNY")
        var scenario = Scenario(identifier: "bench", name: ["en": "Benchmark"], kind: .ambitious, jurisdiction: "Bench City",
                                base: BaseSpec(year: baseYear), endYear: baseYear + years)
        scenario.sectors = sectorNames.enumerated().map { i, s in
            SectorSpec(id: s, driver: i % 2 == 0 ? .gdp : .population, intensity: .growth(-0.01 - 0.002 * Double(i)))
        }
        scenario.drivers = Drivers(population: ["all": .growth(0.008)], gdp: ["all": Trajectory(points: [], growth: [.init(2026, 0.055), .init(2031, 0.045), .init(2041, 0.03)])])
        scenario.fuels = ["electricity": FuelSpec(factor: .values([baseYear: 0.55, 2035: 0.4, 2050: 0.15, 2060: 0.05]))]
        func measure(_ id: String, _ kind: Measure.Kind, _ set: (inout Measure) -> Void) -> Measure {
            var m = Measure(id: id, kind: kind)
            set(&m)
            return m
        }
        scenario.measures = [
            measure("phase-out-fuel0", .coalPhaseOut) { $0.from = ["fuel0"]; $0.to = "electricity"; $0.energyRatio = 0.8; $0.ramp = Ramp(start: 2026, full: 2040, shape: .sCurve) },
            measure("electrify-fuel1", .electrification) { $0.from = ["fuel1"]; $0.share = 0.7; $0.energyRatio = 0.4; $0.sectors = Array(sectorNames.prefix(4)); $0.ramp = Ramp(start: 2027, full: 2045, shape: .sCurve) },
            measure("switch-fuel2", .fuelSwitch) { $0.from = ["fuel2"]; $0.to = "fuel3"; $0.share = 0.5; $0.ramp = Ramp(start: 2026, full: 2035) },
            measure("efficiency", .efficiency) { $0.reduction = 0.2; $0.ramp = Ramp(start: 2026, full: 2040) },
            measure("demand", .demand) { $0.reduction = 0.1; $0.sectors = Array(sectorNames.suffix(3)); $0.ramp = Ramp(start: 2028, full: 2038) },
            measure("rooftop-solar", .renewables) { $0.share = 0.25; $0.ramp = Ramp(start: 2026, full: 2045, shape: .sCurve) },
            measure("ccs", .factor) { $0.fuels = ["fuel3", "fuel4"]; $0.reduction = 0.6; $0.districts = ["district0", "district1"]; $0.ramp = Ramp(start: 2035, full: 2050) },
            measure("plan-action", .action) { $0.reductions = ["2027": 50_000, "2035": 400_000, "2050": 800_000]; $0.sectors = ["sector0"] },
        ]
        var forest = Sink(id: "forest", kind: .forest)
        forest.areaHectares = .values([baseYear: 20_000, 2060: 35_000])
        forest.ratePerHectare = 6
        scenario.sinks = [forest, Sink(id: "carbonation", kind: .cementCarbonation, tonnesCO2: .values([baseYear: 100_000, 2060: 300_000]))]
        scenario.targets = [
            PathwayTarget(id: "peak-2030", kind: .peakBy, year: 2030),
            PathwayTarget(id: "cut-2050", kind: .reduction, year: 2050, baseYear: baseYear, percent: 70),
            PathwayTarget(id: "net-zero-2060", kind: .netZeroBy, year: min(2060, baseYear + years)),
        ]
        scenario.uncertainty = [
            UncertainInput(input: "gdp_growth", distribution: .normal(mean: 0, sd: 0.01)),
            UncertainInput(input: "population_growth", distribution: .normal(mean: 0, sd: 0.003)),
            UncertainInput(input: "intensity", distribution: .triangular(-0.005, 0, 0.005)),
            UncertainInput(input: "fuel_factor:electricity", distribution: .normal(mean: 1, sd: 0.1)),
            UncertainInput(input: "measure:phase-out-fuel0", distribution: .uniform(0.7, 1.1)),
            UncertainInput(input: "measure:efficiency", distribution: .triangular(0.5, 1, 1.2)),
            UncertainInput(input: "measure:plan-action", distribution: .lognormal(mean: 1, sd: 0.3)),
            UncertainInput(input: "sink:forest", distribution: .normal(mean: 1, sd: 0.2)),
        ]
        return (scenario, base)
    }
}

extension Distribution {
    static func lognormal(mean: Double, sd: Double) -> Distribution { Distribution(kind: .lognormal, mean: mean, sd: sd) }
}
