import Foundation

/// The values of the uncertain inputs for one run; the central draw is the deterministic run.
struct Draw: Sendable {
    var populationGrowth = 0.0
    var gdpGrowth = 0.0
    var intensity: [Double]
    var fuelFactor: [Double]
    var measure: [Double]
    var sink: [Double]
    var offsets = 1.0
}

/// What a detailed run keeps besides the totals.
struct ProjectionDetail {
    /// [year][district × sector]
    var baselineByGroup: [[Double]]
    var scenarioByGroup: [[Double]]
    /// [year][fuel], TJ (non-energy: t CO2e)
    var energyByFuel: [[Double]]
    /// [measure][year]
    var wedges: [[Double]]
    /// [year][district × sector × fuel], TJ before and after the measures (non-energy: t CO2e)
    var baselineEnergy: [[Double]]
    var scenarioEnergy: [[Double]]

    init(years: Int, groups: Int, fuels: Int, measures: Int) {
        baselineByGroup = Array(repeating: Array(repeating: 0, count: groups), count: years)
        scenarioByGroup = baselineByGroup
        energyByFuel = Array(repeating: Array(repeating: 0, count: fuels), count: years)
        wedges = Array(repeating: Array(repeating: 0, count: years), count: measures)
        baselineEnergy = Array(repeating: [], count: years)
        scenarioEnergy = baselineEnergy
    }
}

extension PathwayModel {
    func draw(_ random: inout RandomSource?) -> Draw {
        var draw = Draw(intensity: Array(repeating: 0, count: sectors.count), fuelFactor: Array(repeating: 1, count: fuels.count),
                        measure: Array(repeating: 1, count: measures.count), sink: Array(repeating: 1, count: sinkFlux.count))
        for input in inputs {
            let value: Double
            if random != nil { value = input.distribution.sample(&random!) } else { value = input.distribution.central }
            switch input.target {
            case .populationGrowth: draw.populationGrowth += value
            case .gdpGrowth: draw.gdpGrowth += value
            case .intensity(nil): for s in draw.intensity.indices { draw.intensity[s] += value }
            case .intensity(let s?): draw.intensity[s] += value
            case .fuelFactor(let f): draw.fuelFactor[f] *= value
            case .measure(let m): draw.measure[m] *= value
            case .sink(let k): draw.sink[k] *= value
            case .offsets: draw.offsets *= value
            }
        }
        return draw
    }

    /// Gross and net emissions for every year under one draw. The loop runs over flat
    /// buffers: this is what ten thousand Monte Carlo runs repeat.
    func project(_ draw: Draw, gross: UnsafeMutableBufferPointer<Double>, net: UnsafeMutableBufferPointer<Double>,
                 energy: UnsafeMutableBufferPointer<Double>, factor: UnsafeMutableBufferPointer<Double>,
                 detail: UnsafeMutablePointer<ProjectionDetail>? = nil) {
        let S = sectors.count, F = fuels.count, G = groupCount, n = years.count
        var populationGrowth = 1.0, gdpGrowth = 1.0
        var intensityGrowth = [Double](repeating: 1, count: S)
        var sectorGrowth = [Double](repeating: 1, count: S)
        var factorNow = [Double](repeating: 1, count: F)
        baseEnergy.withUnsafeBufferPointer { e0 in
            baseFactor.withUnsafeBufferPointer { f0 in
                groupScale.withUnsafeBufferPointer { scale in
                    for t in years.indices {
                        if t > 0 {
                            populationGrowth *= 1 + draw.populationGrowth
                            gdpGrowth *= 1 + draw.gdpGrowth
                            for s in 0..<S { intensityGrowth[s] *= 1 + draw.intensity[s] }
                        }
                        for s in 0..<S {
                            let driver: Double = switch sectorDriver[s] {
                            case .population: populationGrowth
                            case .gdp: gdpGrowth
                            case .none: 1
                            }
                            sectorGrowth[s] = driver * intensityGrowth[s]
                        }
                        for f in 0..<F { factorNow[f] = 1 + draw.fuelFactor[f] * (factorIndex[f][t] - 1) }
                        for g in 0..<G {
                            let m = scale[g * n + t] * sectorGrowth[g % S]
                            let c0 = g * F
                            for f in 0..<F {
                                energy[c0 + f] = e0[c0 + f] * m
                                factor[c0 + f] = f0[c0 + f] * factorNow[f]
                            }
                        }
                        if let detail {
                            record(&detail.pointee.baselineByGroup[t], energy, factor)
                            detail.pointee.baselineEnergy[t] = Array(energy)
                        }
                        var previous = detail == nil ? 0 : total(energy, factor)
                        for (k, measure) in measures.enumerated() {
                            let level = measure.levels[t]
                            if level == 0 { continue }
                            let effect = draw.measure[k]
                            switch measure.operation {
                            case let .fuelSwitch(from, to, share, ratio):
                                let x = min(1, max(0, share * level * effect))
                                for g in measure.groups {
                                    let c0 = g * F
                                    for f in from {
                                        let moved = energy[c0 + f] * x
                                        energy[c0 + f] -= moved
                                        energy[c0 + to] += moved * ratio
                                    }
                                }
                            case let .scaleEnergy(mask, reduction):
                                let keep = 1 - min(1, max(0, reduction * level * effect))
                                for g in measure.groups { for f in 0..<F where mask[f] { energy[g * F + f] *= keep } }
                            case let .scaleFactor(mask, reduction):
                                let keep = 1 - min(1, max(0, reduction * level * effect))
                                for g in measure.groups { for f in 0..<F where mask[f] { factor[g * F + f] *= keep } }
                            case let .scaleActivity(reduction):
                                let keep = 1 - min(1, max(0, reduction * level * effect))
                                for g in measure.groups { for f in 0..<F { energy[g * F + f] *= keep } }
                            case let .absolute(tonnes):
                                let wanted = max(0, tonnes[t] * level * effect)
                                if wanted == 0 { break }
                                var inScope = 0.0
                                for g in measure.groups { for f in 0..<F { inScope += energy[g * F + f] * factor[g * F + f] } }
                                guard inScope > 0 else { break }
                                let keep = 1 - min(1, wanted / inScope)
                                for g in measure.groups { for f in 0..<F { energy[g * F + f] *= keep } }
                            }
                            if let detail {
                                let now = total(energy, factor)
                                detail.pointee.wedges[k][t] = previous - now
                                previous = now
                            }
                        }
                        let grossNow = total(energy, factor)
                        var removals = 0.0
                        for k in sinkFlux.indices { removals += sinkFlux[k][t] * max(0, draw.sink[k]) }
                        gross[t] = grossNow
                        net[t] = grossNow - removals - offsets[t] * max(0, draw.offsets)
                        if let detail {
                            record(&detail.pointee.scenarioByGroup[t], energy, factor)
                            for c in 0..<(G * F) { detail.pointee.energyByFuel[t][c % F] += energy[c] }
                            detail.pointee.scenarioEnergy[t] = Array(energy)
                        }
                    }
                }
            }
        }
    }

    private func total(_ energy: UnsafeMutableBufferPointer<Double>, _ factor: UnsafeMutableBufferPointer<Double>) -> Double {
        var sum = 0.0
        for c in 0..<energy.count { sum += energy[c] * factor[c] }
        return sum
    }

    private func record(_ groups: inout [Double], _ energy: UnsafeMutableBufferPointer<Double>, _ factor: UnsafeMutableBufferPointer<Double>) {
        let F = fuels.count
        for g in groups.indices {
            var sum = 0.0
            for f in 0..<F { sum += energy[g * F + f] * factor[g * F + f] }
            groups[g] = sum
        }
    }

    /// Runs `body` with buffers sized for one projection.
    func withBuffers<R>(_ body: (UnsafeMutableBufferPointer<Double>, UnsafeMutableBufferPointer<Double>,
                                 UnsafeMutableBufferPointer<Double>, UnsafeMutableBufferPointer<Double>) -> R) -> R {
        let cells = groupCount * fuels.count, n = years.count
        let storage = UnsafeMutableBufferPointer<Double>.allocate(capacity: 2 * cells + 2 * n)
        storage.initialize(repeating: 0)
        defer { storage.deallocate() }
        let base = storage.baseAddress!
        return body(UnsafeMutableBufferPointer(start: base, count: n), UnsafeMutableBufferPointer(start: base + n, count: n),
                    UnsafeMutableBufferPointer(start: base + 2 * n, count: cells), UnsafeMutableBufferPointer(start: base + 2 * n + cells, count: cells))
    }
}

extension PathwayModel {
    /// The city's GDP each year under a draw, if the base year has GDP.
    func gdpSeries(_ draw: Draw) -> [Double]? {
        guard base.gdp != nil else { return nil }
        var growth = 1.0
        return years.indices.map { t in
            if t > 0 { growth *= 1 + draw.gdpGrowth }
            return districts.indices.reduce(0) { $0 + (base.districts[districts[$1]]?.gdp ?? 0) * gdpIndex[$1][t] } * growth
        }
    }

    /// The city's population each year under a draw, if the base year has it.
    func populationSeries(_ draw: Draw) -> [Double]? {
        guard base.population != nil else { return nil }
        var growth = 1.0
        return years.indices.map { t in
            if t > 0 { growth *= 1 + draw.populationGrowth }
            return districts.indices.reduce(0) { $0 + (base.districts[districts[$1]]?.population ?? 0) * populationIndex[$1][t] } * growth
        }
    }
}
