import CarbonKit
import Foundation

/// Many runs of one scenario with its uncertain inputs drawn from their distributions:
/// bands of emissions per year, and how likely the peak and each target are.
public struct MonteCarloResult: Sendable, Hashable, Codable {
    public struct Bands: Sendable, Hashable, Codable {
        public var p10: [Double]
        public var p50: [Double]
        public var p90: [Double]
    }
    public struct TargetChance: Sendable, Hashable, Codable {
        public var id: String
        public var name: String
        public var probability: Double
    }

    public var runs: Int
    public var seed: UInt64
    public var years: [Int]
    public var gross: Bands
    public var net: Bands
    /// Share of runs whose emissions have peaked in or before each year.
    public var peakedBy: [Double]
    /// Share of runs with net emissions at or below zero by each year.
    public var neutralBy: [Double]
    public var targets: [TargetChance]

    /// The share of runs that peaked in or before `year`.
    public func probabilityOfPeaking(by year: Int) -> Double? {
        guard let i = years.firstIndex(of: year) else { return year > (years.last ?? 0) ? peakedBy.last : nil }
        return peakedBy[i]
    }
}

public enum MonteCarlo {
    /// Runs `runs` draws on every core. Run `i` draws from its own generator seeded by
    /// (`seed`, `i`), so the same seed gives the same bands on any machine and core count.
    public static func run(_ model: PathwayModel, runs: Int, seed: UInt64, language: String = "en") -> MonteCarloResult {
        let n = model.years.count
        let chunkCount = max(1, min(runs, ProcessInfo.processInfo.activeProcessorCount * 8))
        let targets = model.scenario.targets ?? []
        let needsGDP = targets.contains { $0.kind == .intensityReduction }
        struct Chunk: Sendable {
            var gross: [Double], net: [Double]
            var peakYear: [Int], neutralYear: [Int]
            var met: [Int]
        }
        let chunks = parallelMap(chunkCount) { chunk -> Chunk in
            let lower = runs * chunk / chunkCount, upper = runs * (chunk + 1) / chunkCount
            let count = upper - lower
            var result = Chunk(gross: Array(repeating: 0, count: count * n), net: Array(repeating: 0, count: count * n),
                               peakYear: Array(repeating: Int.max, count: count), neutralYear: Array(repeating: Int.max, count: count),
                               met: Array(repeating: 0, count: targets.count))
            model.withBuffers { _, _, energy, factor in
                result.gross.withUnsafeMutableBufferPointer { grossAll in
                    result.net.withUnsafeMutableBufferPointer { netAll in
                        for r in 0..<count {
                            var random: RandomSource? = RandomSource(seed: seed, stream: UInt64(lower + r))
                            let draw = model.draw(&random)
                            let gross = UnsafeMutableBufferPointer(rebasing: grossAll[(r * n)..<((r + 1) * n)])
                            let net = UnsafeMutableBufferPointer(rebasing: netAll[(r * n)..<((r + 1) * n)])
                            model.project(draw, gross: gross, net: net, energy: energy, factor: factor)
                            let analysis = model.analyse(gross: Array(gross), net: Array(net), gdp: needsGDP ? model.gdpSeries(draw) : nil, language: language)
                            if let peak = analysis.peak, peak.status == .peaked { result.peakYear[r] = peak.year }
                            if let year = analysis.neutralityYear { result.neutralYear[r] = year }
                            for (k, outcome) in analysis.targets.enumerated() where outcome.met { result.met[k] += 1 }
                        }
                    }
                }
            }
            return result
        }
        var grossBands = MonteCarloResult.Bands(p10: [], p50: [], p90: []), netBands = grossBands
        var column = [Double](repeating: 0, count: runs)
        for t in 0..<n {
            for (which, bands) in [(0, \Chunk.gross), (1, \Chunk.net)] {
                var i = 0
                for chunk in chunks {
                    let values = chunk[keyPath: bands]
                    for r in 0..<(values.count / n) {
                        column[i] = values[r * n + t]
                        i += 1
                    }
                }
                column.sort()
                let p = (quantile(column, 0.1), quantile(column, 0.5), quantile(column, 0.9))
                if which == 0 { grossBands.p10.append(p.0); grossBands.p50.append(p.1); grossBands.p90.append(p.2) } else {
                    netBands.p10.append(p.0); netBands.p50.append(p.1); netBands.p90.append(p.2)
                }
            }
        }
        let peakYears = chunks.flatMap(\.peakYear), neutralYears = chunks.flatMap(\.neutralYear)
        let total = Double(runs)
        let peakedBy = model.years.map { year in Double(peakYears.filter { $0 <= year }.count) / total }
        let neutralBy = model.years.map { year in Double(neutralYears.filter { $0 <= year }.count) / total }
        let chances = targets.enumerated().map { k, target in
            MonteCarloResult.TargetChance(id: target.id, name: target.name(language),
                                          probability: Double(chunks.reduce(0) { $0 + $1.met[k] }) / total)
        }
        return MonteCarloResult(runs: runs, seed: seed, years: model.years, gross: grossBands, net: netBands,
                                peakedBy: peakedBy, neutralBy: neutralBy, targets: chances)
    }

    /// Linear interpolation between order statistics (Hyndman & Fan type 7, the default of
    /// R and NumPy).
    static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        guard sorted.count > 1 else { return sorted.first ?? .nan }
        let h = Double(sorted.count - 1) * p
        let lower = Int(h.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (h - Double(lower)) * (sorted[upper] - sorted[lower])
    }
}
