import Testing
@testable import CarbonPathways

@Suite("Monte Carlo uncertainty")
struct MonteCarloTests {
    func scenario(sd: Double) -> Scenario {
        var s = Fixture.scenario(measures: Fixture.overlapping)
        s.uncertainty = [
            UncertainInput(input: "gdp_growth", distribution: .normal(mean: 0, sd: sd)),
            UncertainInput(input: "population_growth", distribution: .normal(mean: 0, sd: sd / 2)),
            UncertainInput(input: "measure:coal-out", distribution: .normal(mean: 1, sd: sd * 10)),
            UncertainInput(input: "fuel_factor:electricity", distribution: .normal(mean: 1, sd: sd * 5)),
            UncertainInput(input: "intensity:industry", distribution: .triangular(-0.01 * sd * 100, 0, 0.01 * sd * 100)),
        ]
        s.targets = [PathwayTarget(id: "peak-2030", kind: .peakBy, year: 2030), PathwayTarget(id: "nz", kind: .netZeroBy, year: 2060)]
        return s
    }

    @Test("With zero variance every run equals the deterministic run")
    func zeroVariance() throws {
        let model = try PathwayModel(scenario(sd: 0), base: Fixture.base)
        let deterministic = model.run()
        let mc = MonteCarlo.run(model, runs: 50, seed: 7)
        for t in deterministic.years.indices {
            #expect(close(mc.gross.p10[t], deterministic.gross[t]) && close(mc.gross.p90[t], deterministic.gross[t]))
            #expect(close(mc.net.p50[t], deterministic.net[t]))
        }
    }

    @Test("The same seed gives the same bands twice; another seed gives others")
    func reproducible() throws {
        let model = try PathwayModel(scenario(sd: 0.01), base: Fixture.base)
        let a = MonteCarlo.run(model, runs: 400, seed: 2030), b = MonteCarlo.run(model, runs: 400, seed: 2030)
        #expect(a == b)
        #expect(MonteCarlo.run(model, runs: 400, seed: 2031).gross != a.gross)
    }

    @Test("Bands are ordered P10 ≤ P50 ≤ P90 and widen with time; probabilities lie in 0…1 and never fall")
    func bands() throws {
        let model = try PathwayModel(scenario(sd: 0.01), base: Fixture.base)
        let mc = MonteCarlo.run(model, runs: 1000, seed: 1)
        for t in mc.years.indices { #expect(mc.gross.p10[t] <= mc.gross.p50[t] && mc.gross.p50[t] <= mc.gross.p90[t]) }
        #expect(mc.gross.p90[0] - mc.gross.p10[0] < 1e-6)
        #expect(mc.gross.p90[20] - mc.gross.p10[20] > 0)
        #expect(zip(mc.peakedBy, mc.peakedBy.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(mc.targets.allSatisfy { (0...1).contains($0.probability) })
    }

    @Test("Sampling: a normal's mean and spread, a triangular's bounds")
    func sampling() {
        var random = RandomSource(seed: 42)
        let draws = (0..<20_000).map { _ in Distribution.normal(mean: 10, sd: 2).sample(&random) }
        let mean = draws.reduce(0, +) / Double(draws.count)
        let sd = (draws.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(draws.count)).squareRoot()
        #expect(abs(mean - 10) < 0.05 && abs(sd - 2) < 0.05)
        let triangular = (0..<2000).map { _ in Distribution.triangular(1, 2, 4).sample(&random) }
        #expect(triangular.allSatisfy { (1...4).contains($0) })
        #expect(Distribution(kind: .triangular, min: 3, max: 1, mode: 2).problem != nil)
    }
}
