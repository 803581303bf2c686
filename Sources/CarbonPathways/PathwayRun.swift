extension PathwayModel {
    /// One deterministic run with every input at its central value.
    public func run(language: String = "en") -> PathwayResult {
        var random: RandomSource? = nil
        let draw = self.draw(&random)
        var detail = ProjectionDetail(years: years.count, groups: groupCount, fuels: fuels.count, measures: measures.count)
        let (gross, net) = withBuffers { gross, net, energy, factor in
            project(draw, gross: gross, net: net, energy: energy, factor: factor, detail: &detail)
            return (Array(gross), Array(net))
        }
        let S = sectors.count, F = fuels.count
        let baseline = detail.baselineByGroup.map { $0.reduce(0, +) }
        var bySector: [String: [Double]] = [:], byDistrict: [String: [Double]] = [:], cells: [PathwayResult.Cell] = []
        for g in 0..<groupCount {
            let d = districts[g / S], s = sectors[g % S]
            let scenarioSeries = detail.scenarioByGroup.map { $0[g] }, baselineSeries = detail.baselineByGroup.map { $0[g] }
            bySector[s, default: Array(repeating: 0, count: years.count)].add(scenarioSeries)
            byDistrict[d, default: Array(repeating: 0, count: years.count)].add(scenarioSeries)
            if baselineSeries.contains(where: { $0 != 0 }) || scenarioSeries.contains(where: { $0 != 0 }) {
                cells.append(.init(district: d, sector: s, baseline: baselineSeries, scenario: scenarioSeries))
            }
        }
        var energyByFuel: [String: [Double]] = [:]
        for f in 0..<F where fuels[f] != Self.nonEnergy { energyByFuel[fuels[f]] = detail.energyByFuel.map { $0[f] } }
        var energyCells: [PathwayResult.EnergyCell] = []
        for c in 0..<(groupCount * F) where fuels[c % F] != Self.nonEnergy {
            let baselineSeries = detail.baselineEnergy.map { $0[c] }, scenarioSeries = detail.scenarioEnergy.map { $0[c] }
            guard baselineSeries.contains(where: { $0 != 0 }) || scenarioSeries.contains(where: { $0 != 0 }) else { continue }
            let g = c / F
            energyCells.append(.init(district: districts[g / S], sector: sectors[g % S], fuel: fuels[c % F],
                                     baseline: baselineSeries, scenario: scenarioSeries))
        }

        let wedges = measures.indices.map { k in
            let m = scenario.measures[k]
            return PathwayResult.Wedge(id: m.id, name: m.name(language), kind: m.kind.rawValue, tonnes: detail.wedges[k])
        }
        var sinks: [PathwayResult.SinkSeries] = [], stocks: [PathwayResult.SinkSeries] = []
        for sink in scenario.sinks ?? [] {
            let series = PathwayResult.SinkSeries(id: sink.id, name: sink.name(language), kind: sink.kind.rawValue, basis: sink.basis.rawValue,
                                                  tonnes: years.map { sink.tonnes(in: $0, baseYear: base.year) }, source: sink.source)
            if sink.basis == .flux { sinks.append(series) } else { stocks.append(series) }
        }
        let population = populationSeries(draw)
        let gdp = gdpSeries(draw)
        var cumulative: [Double] = [], running = 0.0
        for value in gross {
            running += value
            cumulative.append(running)
        }
        let history = scenario.historyByYear.filter { $0.key < base.year }.sorted { $0.key < $1.key }
        let analysis = analyse(gross: gross, net: net, gdp: gdp, language: language)
        return PathwayResult(
            scenario: scenario.identifier, name: scenario.name(language), kind: scenario.kind.rawValue, jurisdiction: scenario.jurisdiction,
            baseYear: base.year, years: years,
            history: history.isEmpty ? nil : history.map { $0.value }, historyYears: history.isEmpty ? nil : history.map { $0.key },
            baseline: baseline, gross: gross, wedges: wedges, sinks: sinks, stocks: stocks, offsets: offsets, net: net,
            energyByFuel: energyByFuel, bySector: bySector, byDistrict: byDistrict, cells: cells, energyCells: energyCells,
            population: population, gdp: gdp, gdpUnit: base.gdpUnit,
            perCapita: population.map { p in zip(gross, p).map { $1 > 0 ? $0 / $1 : 0 } },
            perGDP: gdp.map { g in zip(gross, g).map { $1 > 0 ? $0 / $1 : 0 } },
            cumulativeGross: cumulative, analysis: analysis, baseSource: base.source)
    }

    /// Peak, zero years and targets for one pair of gross and net series.
    func analyse(gross: [Double], net: [Double], gdp: [Double]?, language: String = "en") -> PathwayAnalysis {
        let tolerance = scenario.plateauTolerance ?? 0.02
        let history = scenario.historyByYear.filter { $0.key < base.year }.sorted { $0.key < $1.key }.map { (year: $0.key, value: $0.value) }
        let projected = zip(years, gross).map { (year: $0, value: $1) }
        let peak = Peak(history + projected, tolerance: tolerance)
        let netSeries = zip(years, net).map { (year: $0, value: $1) }
        let scale = max(1, gross.first ?? 1)
        let neutrality = ZeroCrossing.firstYear(netSeries)
        let grossZero = ZeroCrossing.firstYear(projected, tolerance: scale * 1e-9)
        let outcomes = (scenario.targets ?? []).map { target in
            outcome(target, gross: gross, net: net, gdp: gdp, peak: peak, neutrality: neutrality, language: language)
        }
        return PathwayAnalysis(peak: peak, neutralityYear: neutrality, grossZeroYear: grossZero, targets: outcomes, plateauTolerance: tolerance)
    }

    private func outcome(_ target: PathwayTarget, gross: [Double], net: [Double], gdp: [Double]?, peak: Peak?, neutrality: Int?,
                         language: String) -> TargetOutcome {
        let basis = target.effectiveBasis
        let series = basis == .net ? net : gross
        let history = scenario.historyByYear
        func value(in year: Int) -> Double? {
            if let t = years.firstIndex(of: year) { return series[t] }
            return basis == .gross ? history[year] : nil
        }
        var result = TargetOutcome(id: target.id, name: target.name(language), kind: target.kind.rawValue, year: target.year,
                                   basis: basis.rawValue, met: false)
        func firstYear(_ holds: (Int, Double) -> Bool) -> Int? {
            zip(years, series).first { holds($0, $1) }?.0
        }
        switch target.kind {
        case .peakBy:
            result.value = peak?.value
            result.met = peak?.peaked(by: target.year) ?? false
            result.firstYearMet = peak?.status == .peaked ? peak?.year : nil
        case .reduction:
            guard let by = target.baseYear, let reference = value(in: by), let percent = target.percent else { break }
            let allowed = reference * (1 - percent / 100)
            result.allowed = allowed
            result.value = value(in: target.year)
            result.gap = result.value.map { $0 - allowed }
            result.met = (result.gap ?? 1) <= 1e-9 * max(1, abs(reference))
            result.firstYearMet = firstYear { $1 <= allowed }
        case .netZeroBy, .grossBy:
            let allowed = target.tonnes ?? 0
            result.allowed = allowed
            result.value = value(in: target.year)
            result.gap = result.value.map { $0 - allowed }
            let tolerance = basis == .gross ? max(1, gross.first ?? 1) * 1e-9 : 0
            result.met = (result.gap ?? 1) <= tolerance
            result.firstYearMet = basis == .net && allowed == 0 ? neutrality : firstYear { $1 <= allowed + tolerance }
        case .budget:
            let from = target.baseYear ?? base.year
            var sum = 0.0
            for year in from...max(from, target.year) { sum += value(in: year) ?? 0 }
            result.value = sum
            result.allowed = target.tonnes
            result.gap = target.tonnes.map { sum - $0 }
            result.met = (result.gap ?? 1) <= 0
        case .intensityReduction:
            guard let gdp, let by = target.baseYear, let percent = target.percent,
                  let i0 = years.firstIndex(of: by), let i1 = years.firstIndex(of: target.year), gdp[i0] > 0, gdp[i1] > 0 else { break }
            let reference = series[i0] / gdp[i0]
            let allowed = reference * (1 - percent / 100)
            result.allowed = allowed
            result.value = series[i1] / gdp[i1]
            result.gap = result.value! - allowed
            result.met = result.gap! <= 1e-12 * max(1, reference)
            result.firstYearMet = years.indices.first { $0 >= i0 && gdp[$0] > 0 && series[$0] / gdp[$0] <= allowed }.map { years[$0] }
        }
        return result
    }
}

extension Array where Element == Double {
    mutating func add(_ other: [Double]) {
        for i in indices { self[i] += other[i] }
    }
}
