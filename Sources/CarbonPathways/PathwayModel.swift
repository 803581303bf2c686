import CarbonKit
import Foundation

/// A scenario checked and compiled against its base year into flat arrays, ready to be run
/// once (``run()``) or ten thousand times (``MonteCarlo``).
///
/// The grid is district × sector × fuel. A cell's energy in year t is its base energy ×
/// the district's driver index (population or GDP) × the sector's intensity index; its
/// emission factor is the base factor × the fuel's factor index (the Kaya identity per
/// sector: C = P · G/P · E/G · C/E). Emissions that do not come from energy sit in a
/// `non-energy` slot of their sector and move with activity only. Measures then act on the
/// energy and factor arrays in their order.
public struct PathwayModel: Sendable {
    public static let nonEnergy = "non-energy"

    public let scenario: Scenario
    public let base: PathwayBase
    public let years: [Int]
    public let districts: [String]
    public let sectors: [String]
    /// Energy fuels, then `non-energy` if the base has such emissions.
    public let fuels: [String]
    let energyFuelCount: Int
    let baseEnergy: [Double]
    let baseFactor: [Double]
    let populationIndex: [[Double]]
    let gdpIndex: [[Double]]
    let sectorDriver: [SectorSpec.Driver]
    let intensityIndex: [[Double]]
    /// Driver index × intensity index per district × sector group and year (`g * years + t`):
    /// what the base energy of a group is multiplied by in a run without uncertainty.
    let groupScale: [Double]
    let factorIndex: [[Double]]
    let measures: [CompiledMeasure]
    let sinkFlux: [[Double]]
    let sinkIDs: [String]
    let offsets: [Double]
    let inputs: [CompiledInput]

    var groupCount: Int { districts.count * sectors.count }

    /// `requireTargetHistory`: a target measured from a past year must find that year in the
    /// history (on by default, so a mistyped year is caught when a scenario is saved). A saved
    /// scenario is run with it off: when a past inventory is withdrawn later, that target
    /// shows no value instead of the whole scenario failing.
    public init(_ scenario: Scenario, base: PathwayBase, file: String? = nil, requireTargetHistory: Bool = true) throws(InputErrors) {
        var issues: [InputIssue] = []
        func fail(_ field: String, _ value: String?, _ reason: String, _ suggestion: String? = nil) {
            issues.append(InputIssue(InputLocation(file: file, field: field), value: value, reason: reason, suggestion: suggestion))
        }
        self.scenario = scenario
        self.base = base
        let baseYear = base.year
        if scenario.identifier.isEmpty || scenario.identifier.contains(where: { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
            fail("identifier", scenario.identifier, "use letters, digits, - and _ only")
        }
        if scenario.endYear <= baseYear || scenario.endYear > baseYear + 100 {
            fail("endYear", String(scenario.endYear), "must be after the base year \(baseYear) and at most 100 years on")
        }
        let years = scenario.endYear > baseYear && scenario.endYear <= baseYear + 100 ? Array(baseYear...scenario.endYear) : [baseYear]
        self.years = years
        if base.cells.isEmpty { fail("base.cells", nil, "the base year has no emissions to project") }

        // The grid.
        var districtOrder: [String] = [], sectorOrder: [String] = [], fuelOrder: [String] = []
        var hasNonEnergy = false
        for (i, cell) in base.cells.enumerated() {
            let field = "base.cells[\(i)]"
            if !cell.emissionsTonnes.isFinite || cell.emissionsTonnes < 0 { fail(field + ".emissionsTonnes", String(cell.emissionsTonnes), "must be a number ≥ 0") }
            if !cell.energyTJ.isFinite || cell.energyTJ < 0 { fail(field + ".energy", String(cell.energyTJ), "must be a number ≥ 0") }
            if !districtOrder.contains(cell.district) { districtOrder.append(cell.district) }
            if !sectorOrder.contains(cell.sector) { sectorOrder.append(cell.sector) }
            if let fuel = cell.fuel, cell.energyTJ > 0 {
                if !fuelOrder.contains(fuel) { fuelOrder.append(fuel) }
            } else if cell.emissionsTonnes > 0 { hasNonEnergy = true }
        }
        for (fuel, _) in (scenario.fuels ?? [:]).sorted(by: { $0.key < $1.key }) where !fuelOrder.contains(fuel) { fuelOrder.append(fuel) }
        let switchTargets = scenario.measures.compactMap { m in Self.switchTarget(m) }
        for fuel in switchTargets where !fuelOrder.contains(fuel) && fuel != Self.nonEnergy { fuelOrder.append(fuel) }
        let energyFuelCount = fuelOrder.count
        if hasNonEnergy { fuelOrder.append(Self.nonEnergy) }
        districts = districtOrder
        fuels = fuelOrder
        self.energyFuelCount = energyFuelCount
        let fuelIndex = Dictionary(uniqueKeysWithValues: fuelOrder.enumerated().map { ($1, $0) })
        let districtIndex = Dictionary(uniqueKeysWithValues: districtOrder.enumerated().map { ($1, $0) })

        // Sectors: those of the base, in the order the scenario lists them first.
        var specs: [String: SectorSpec] = [:]
        for (i, spec) in (scenario.sectors ?? []).enumerated() {
            if !sectorOrder.contains(spec.id) {
                fail("sectors[\(i)].id", spec.id, "has no emissions in the base year", Suggestion.didYouMean(spec.id, among: sectorOrder))
            } else if specs[spec.id] != nil {
                fail("sectors[\(i)].id", spec.id, "is listed twice")
            }
            specs[spec.id] = spec
        }
        let listed = (scenario.sectors ?? []).map(\.id).filter { sectorOrder.contains($0) }
        var orderedSectors: [String] = []
        for s in listed + sectorOrder where !orderedSectors.contains(s) { orderedSectors.append(s) }
        sectors = orderedSectors
        let sectorIndex = Dictionary(uniqueKeysWithValues: orderedSectors.enumerated().map { ($1, $0) })
        let S = orderedSectors.count, F = fuelOrder.count, D = districtOrder.count

        // Base energy and factors per cell.
        var energy = [Double](repeating: 0, count: D * S * F)
        var emissions = [Double](repeating: 0, count: D * S * F)
        var fuelEnergy = [Double](repeating: 0, count: F), fuelEmissions = [Double](repeating: 0, count: F)
        for cell in base.cells {
            guard let d = districtIndex[cell.district], let s = sectorIndex[cell.sector] else { continue }
            let isEnergy = cell.fuel != nil && cell.energyTJ > 0
            let f = isEnergy ? fuelIndex[cell.fuel!]! : F - 1
            let c = (d * S + s) * F + f
            if isEnergy {
                energy[c] += cell.energyTJ
                emissions[c] += cell.emissionsTonnes
                fuelEnergy[f] += cell.energyTJ
                fuelEmissions[f] += cell.emissionsTonnes
            } else {
                energy[c] += cell.emissionsTonnes
                emissions[c] += cell.emissionsTonnes
            }
        }
        var defaultFactor = [Double](repeating: .nan, count: F)
        for f in 0..<F {
            let fuel = fuelOrder[f]
            if fuel == Self.nonEnergy { defaultFactor[f] = 1; continue }
            if let given = scenario.fuels?[fuel]?.tonnesPerTJ {
                if !given.isFinite || given < 0 { fail("fuels.\(fuel).tonnesPerTJ", String(given), "must be a number ≥ 0") }
                defaultFactor[f] = given
            } else if fuelEnergy[f] > 0 {
                defaultFactor[f] = fuelEmissions[f] / fuelEnergy[f]
            }
        }
        var factor = [Double](repeating: 0, count: D * S * F)
        for c in 0..<factor.count {
            let f = c % F
            // A fuel nobody uses and nothing switches into keeps no energy: its factor is moot.
            factor[c] = fuelOrder[f] == Self.nonEnergy ? 1 : energy[c] > 0 ? emissions[c] / energy[c] : defaultFactor[f].isNaN ? 0 : defaultFactor[f]
        }
        baseEnergy = energy

        // Drivers.
        func driverIndex(_ map: [String: Trajectory]?, field: String) -> [[Double]] {
            for key in (map ?? [:]).keys where key != "all" && districtIndex[key] == nil {
                fail("drivers.\(field).\(key)", key, "is not a district of the base year", Suggestion.didYouMean(key, among: districtOrder))
            }
            return districtOrder.map { d in
                guard let path = map?[d] ?? map?["all"] else { return years.map { _ in 1 } }
                return years.map { path.index(in: $0, baseYear: baseYear) }
            }
        }
        populationIndex = driverIndex(scenario.drivers?.population, field: "population")
        gdpIndex = driverIndex(scenario.drivers?.gdp, field: "gdp")
        for (name, table) in [("population", populationIndex), ("gdp", gdpIndex)] where table.contains(where: { $0.contains { !$0.isFinite || $0 < 0 } }) {
            fail("drivers.\(name)", nil, "gives a base-year value of 0 or a negative value; a driver path must stay above zero")
        }
        sectorDriver = orderedSectors.map { specs[$0]?.driver ?? .gdp }
        intensityIndex = orderedSectors.map { s in years.map { specs[s]?.intensity?.index(in: $0, baseYear: baseYear) ?? 1 } }
        for (i, s) in orderedSectors.enumerated() where intensityIndex[i].contains(where: { !$0.isFinite || $0 < 0 }) {
            fail("sectors.\(s).intensity", nil, "must stay at or above zero and start above zero")
        }
        for (fuel, spec) in scenario.fuels ?? [:] where spec.factor != nil && fuel == Self.nonEnergy {
            fail("fuels.\(fuel)", fuel, "is not a fuel")
        }
        factorIndex = fuelOrder.map { f in years.map { scenario.fuels?[f]?.factor?.index(in: $0, baseYear: baseYear) ?? 1 } }
        for (f, fuel) in fuelOrder.enumerated() where factorIndex[f].contains(where: { !$0.isFinite || $0 < 0 }) {
            fail("fuels.\(fuel).factor", nil, "must stay at or above zero and start above zero")
        }

        // Measures.
        var compiled: [CompiledMeasure] = []
        var seenIDs: Set<String> = []
        for (i, m) in scenario.measures.enumerated() {
            let field = "measures[\(i)]"
            if m.id.isEmpty { fail(field + ".id", m.id, "every measure needs an id") }
            if !seenIDs.insert(m.id).inserted { fail(field + ".id", m.id, "is used by an earlier measure") }
            var groups: [Int] = []
            for (k, d) in (m.districts ?? []).enumerated() where districtIndex[d] == nil {
                fail("\(field).districts[\(k)]", d, "is not a district of the base year", Suggestion.didYouMean(d, among: districtOrder))
            }
            for (k, s) in (m.sectors ?? []).enumerated() where sectorIndex[s] == nil {
                fail("\(field).sectors[\(k)]", s, "is not a sector of the base year", Suggestion.didYouMean(s, among: orderedSectors))
            }
            let ds = m.districts.map { $0.compactMap { districtIndex[$0] } } ?? Array(0..<D)
            let ss = m.sectors.map { $0.compactMap { sectorIndex[$0] } } ?? Array(0..<S)
            for d in ds { for s in ss { groups.append(d * S + s) } }
            var ramp = m.ramp ?? Ramp(start: baseYear, full: baseYear + 1)
            for (key, year) in [("start", ramp.start), ("full", ramp.full)] where !Scenario.years.contains(year) {
                fail("\(field).ramp.\(key)", String(year), "is not a year between 1900 and 2200")
                ramp = Ramp(start: baseYear, full: baseYear + 1)
            }
            if ramp.full < ramp.start { fail(field + ".ramp.full", String(ramp.full), "is before the ramp's start \(ramp.start)") }
            if m.ramp != nil, ramp.level(in: baseYear) > 0 {
                fail(field + ".ramp.start", String(ramp.start), "must leave the base year \(baseYear) untouched: what a measure did by then is already in the inventory",
                     "start in \(baseYear) with a later full year, or start after it")
            }
            let levels = years.map { ramp.level(in: $0) }
            func fraction(_ key: String, _ value: Double?, default fallback: Double? = nil) -> Double {
                guard let v = value ?? fallback else { fail("\(field).\(key)", nil, "\(m.kind.rawValue) needs \(key) (a share 0…1)"); return 0 }
                if !(0...1).contains(v) { fail("\(field).\(key)", String(v), "must be between 0 and 1 (0.2 is 20 %)") }
                return v
            }
            func fuelList(_ key: String, _ names: [String]?) -> [Int] {
                (names ?? []).enumerated().compactMap { k, name in
                    if let f = fuelIndex[name], name != Self.nonEnergy { return f }
                    fail("\(field).\(key)[\(k)]", name, "is not a fuel of this scenario",
                         Suggestion.didYouMean(name, among: fuelOrder.filter { $0 != Self.nonEnergy }))
                    return nil
                }
            }
            let op: CompiledMeasure.Operation
            switch m.kind {
            case .fuelSwitch, .electrification, .coalPhaseOut:
                let fromNames = m.from ?? (m.kind == .coalPhaseOut ? fuelOrder.filter { $0.contains("coal") || $0 == "coke" } : nil)
                if fromNames?.isEmpty ?? true { fail(field + ".from", nil, "name the fuels to switch from") }
                let to = Self.switchTarget(m)
                if to == nil { fail(field + ".to", nil, "name the fuel to switch to") }
                let ratio = m.energyRatio ?? 1
                if !(ratio.isFinite && ratio >= 0) { fail(field + ".energyRatio", String(ratio), "must be a number ≥ 0") }
                let share = fraction("share", m.share, default: m.kind == .coalPhaseOut ? 1 : nil)
                let toIndex = to.flatMap { fuelIndex[$0] } ?? 0
                if let to, defaultFactor[toIndex].isNaN {
                    fail("fuels.\(to).tonnesPerTJ", nil, "\(field) switches into \(to), which the base year does not use: give its emission factor in t CO2e per TJ")
                }
                let from = fuelList("from", fromNames)
                if from.contains(toIndex) { fail(field + ".to", to, "is also a fuel it switches from") }
                op = .fuelSwitch(from: from, to: toIndex, share: share, energyRatio: ratio)
            case .efficiency, .factor, .renewables:
                let names = m.fuels ?? (m.kind == .renewables ? ["electricity"] : nil)
                let mask = names.map { list in
                    let chosen = Set(fuelList("fuels", list))
                    return (0..<F).map { chosen.contains($0) }
                } ?? (0..<F).map { $0 < energyFuelCount }
                let amount = m.kind == .renewables ? fraction("share", m.share ?? m.reduction) : fraction("reduction", m.reduction ?? m.share)
                op = m.kind == .efficiency ? .scaleEnergy(mask: mask, reduction: amount) : .scaleFactor(mask: mask, reduction: amount)
            case .demand:
                op = .scaleActivity(reduction: fraction("reduction", m.reduction ?? m.share))
            case .action:
                if (m.reductions ?? [:]).isEmpty { fail(field + ".reductions", nil, "an action measure needs its expected reductions by year") }
                var usable = true
                for (key, value) in m.reductions ?? [:] {
                    if !(Int(key).map(Scenario.years.contains) ?? false) {
                        fail("\(field).reductions.\(key)", key, "is not a year between 1900 and 2200"); usable = false
                    }
                    if !value.isFinite || value < 0 { fail("\(field).reductions.\(key)", String(value), "must be tonnes ≥ 0"); usable = false }
                }
                // What the action achieved by the base year is already in the inventory.
                let achieved = usable ? m.actionReduction(in: baseYear) : 0
                op = .absolute(tonnes: years.map { usable ? max(0, m.actionReduction(in: $0) - achieved) : 0 })
            }
            if let cost = m.cost {
                for (key, value) in [("capital", cost.capital), ("operatingPerYear", cost.operatingPerYear), ("savingsPerYear", cost.savingsPerYear)] {
                    if let value, !value.isFinite { fail("\(field).cost.\(key)", String(value), "must be a number") }
                }
                if let life = cost.lifetimeYears, !(1...200).contains(life) { fail(field + ".cost.lifetimeYears", String(life), "must be 1 to 200 years") }
            }
            compiled.append(CompiledMeasure(id: m.id, groups: groups, levels: levels, operation: op))
        }
        measures = compiled

        // Sinks and offsets.
        var flux: [[Double]] = [], ids: [String] = []
        for (i, sink) in (scenario.sinks ?? []).enumerated() {
            if sink.tonnesCO2 == nil, sink.areaHectares == nil || sink.ratePerHectare == nil {
                fail("sinks[\(i)]", sink.id, "give tonnesCO2, or areaHectares with ratePerHectare")
            }
            if sink.basis == .flux {
                let series = years.map { sink.tonnes(in: $0, baseYear: baseYear) }
                if series.contains(where: { !$0.isFinite || $0 < 0 }) { fail("sinks[\(i)]", sink.id, "removals must be numbers ≥ 0") }
                flux.append(series)
                ids.append(sink.id)
            }
        }
        sinkFlux = flux
        sinkIDs = ids
        offsets = years.map { scenario.offsets?.value(in: $0, baseYear: baseYear) ?? 0 }
        if offsets.contains(where: { !$0.isFinite || $0 < 0 }) { fail("offsets", nil, "offsets must be tonnes ≥ 0") }

        if let macc = scenario.maccYear, !Scenario.years.contains(macc) { fail("maccYear", String(macc), "is not a year between 1900 and 2200") }
        for (key, value) in scenario.history ?? [:] {
            if !(Int(key).map(Scenario.years.contains) ?? false) { fail("history.\(key)", key, "is not a year between 1900 and 2200") }
            if !value.isFinite || value < 0 { fail("history.\(key)", String(value), "must be tonnes ≥ 0") }
        }

        // Targets.
        for (i, target) in (scenario.targets ?? []).enumerated() {
            let field = "targets[\(i)]"
            if let by = target.baseYear, !Scenario.years.contains(by) { fail(field + ".baseYear", String(by), "is not a year between 1900 and 2200") }
            if target.year < (scenario.historyByYear.keys.min() ?? baseYear) || target.year > scenario.endYear {
                fail(field + ".year", String(target.year), "lies outside the history and projection (\(scenario.historyByYear.keys.min() ?? baseYear)–\(scenario.endYear))")
            }
            switch target.kind {
            case .reduction, .intensityReduction:
                guard let percent = target.percent, (0...100).contains(percent) else { fail(field + ".percent", target.percent.map { String($0) }, "give the cut in percent, 0–100"); break }
                guard let by = target.baseYear else { fail(field + ".baseYear", nil, "a cut needs the year it is measured from"); break }
                if target.kind == .intensityReduction {
                    if by < baseYear { fail(field + ".baseYear", String(by), "intensity targets are measured within the projection (GDP of earlier years is not in the scenario)") }
                    if base.gdp == nil { fail(field, target.id, "needs the base year's GDP") }
                } else if requireTargetHistory, by < baseYear, scenario.historyByYear[by] == nil {
                    fail(field + ".baseYear", String(by), "has no emissions: add it to history")
                }
            case .budget:
                if target.tonnes == nil { fail(field + ".tonnes", nil, "a budget needs its tonnes") }
            case .peakBy, .netZeroBy, .grossBy:
                break
            }
        }

        // Uncertain inputs.
        var compiledInputs: [CompiledInput] = []
        for (i, u) in (scenario.uncertainty ?? []).enumerated() {
            let field = "uncertainty[\(i)]"
            if let problem = u.distribution.problem { fail(field + ".distribution", u.distribution.kind.rawValue, problem) }
            let parts = u.input.split(separator: ":", maxSplits: 1).map(String.init)
            let name = parts.first ?? "", argument = parts.count > 1 ? parts[1] : nil
            var target: CompiledInput.Target?
            switch (name, argument) {
            case ("population_growth", nil): target = .populationGrowth
            case ("gdp_growth", nil): target = .gdpGrowth
            case ("intensity", nil): target = .intensity(nil)
            case ("intensity", let s?):
                if let index = sectorIndex[s] { target = .intensity(index) } else {
                    fail(field + ".input", u.input, "names no sector of the base year", Suggestion.didYouMean(s, among: orderedSectors))
                }
            case ("fuel_factor", let f?):
                if let index = fuelIndex[f] { target = .fuelFactor(index) } else {
                    fail(field + ".input", u.input, "names no fuel of the scenario", Suggestion.didYouMean(f, among: fuelOrder))
                }
            case ("measure", let id?):
                if let index = scenario.measures.firstIndex(where: { $0.id == id }) { target = .measure(index) } else {
                    fail(field + ".input", u.input, "names no measure", Suggestion.didYouMean(id, among: scenario.measures.map(\.id)))
                }
            case ("sink", let id?):
                if let index = ids.firstIndex(of: id) { target = .sink(index) } else {
                    fail(field + ".input", u.input, "names no flux sink", Suggestion.didYouMean(id, among: ids))
                }
            case ("offsets", nil): target = .offsets
            default:
                fail(field + ".input", u.input, "is not an uncertain input",
                     "one of population_growth, gdp_growth, intensity[:sector], fuel_factor:<fuel>, measure:<id>, sink:<id>, offsets")
            }
            if let target { compiledInputs.append(CompiledInput(target: target, distribution: u.distribution)) }
        }
        inputs = compiledInputs
        if let mc = scenario.monteCarlo, !(1...1_000_000).contains(mc.runs) {
            fail("monteCarlo.runs", String(mc.runs), "must be between 1 and 1,000,000")
        }
        if let r = scenario.discountRate, !(r.isFinite && r > -1 && r < 1) { fail("discountRate", String(r), "must be a share such as 0.05") }
        if let tol = scenario.plateauTolerance, !(0..<0.5).contains(tol) { fail("plateauTolerance", String(tol), "must be a share below 0.5, such as 0.02") }

        baseFactor = factor
        var scale = [Double](repeating: 0, count: D * S * years.count)
        for d in 0..<D {
            for s in 0..<S {
                for t in years.indices {
                    let activity: Double = switch sectorDriver[s] {
                    case .population: populationIndex[d][t]
                    case .gdp: gdpIndex[d][t]
                    case .none: 1
                    }
                    scale[(d * S + s) * years.count + t] = activity * intensityIndex[s][t]
                }
            }
        }
        groupScale = scale
        if !issues.isEmpty { throw InputErrors(issues) }
    }

    static func switchTarget(_ m: Measure) -> String? {
        switch m.kind {
        case .electrification: m.to ?? "electricity"
        case .fuelSwitch, .coalPhaseOut: m.to
        default: nil
        }
    }
}

struct CompiledMeasure: Sendable {
    enum Operation: Sendable {
        case fuelSwitch(from: [Int], to: Int, share: Double, energyRatio: Double)
        case scaleEnergy(mask: [Bool], reduction: Double)
        case scaleFactor(mask: [Bool], reduction: Double)
        case scaleActivity(reduction: Double)
        case absolute(tonnes: [Double])
    }
    let id: String
    /// District × sector groups in scope.
    let groups: [Int]
    /// Share of the full effect, per year.
    let levels: [Double]
    let operation: Operation
}

struct CompiledInput: Sendable {
    enum Target: Sendable {
        case populationGrowth, gdpGrowth
        case intensity(Int?)
        case fuelFactor(Int)
        case measure(Int)
        case sink(Int)
        case offsets
    }
    let target: Target
    let distribution: Distribution
}
