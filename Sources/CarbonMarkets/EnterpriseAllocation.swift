import Foundation

/// What a power facility put out over a year, from its months of evidence: the quantities the
/// benchmark allocation is computed on.
public struct PowerOutput: Sendable, Equatable, Codable {
    public var suppliedMWh: Double
    public var generationMWh: Double
    public var heatGJ: Double
    /// The months' load factors weighted by their operating hours; nil when no month gave one.
    public var loadFactor: Double?
    /// Heat's share of the facility's output energy, `Q_heat / (Q_heat + 3.6 × generation)`: the
    /// output-energy split standing in for the boiler's heat ratio, which the months do not carry.
    public var heatRatio: Double
    public var months: Int

    /// The facility's output over the months given; nil when no month reports supply or heat.
    public static func of(_ months: [MonthlyEvidence], facility: String) -> PowerOutput? {
        let own = months.filter { $0.facility == facility }
        guard own.contains(where: { $0.supply != nil || $0.heatSupplied != nil }) else { return nil }
        let supplied = own.reduce(0) { $0 + ($1.supply ?? 0) }, generation = own.reduce(0) { $0 + ($1.generation ?? 0) }
        let heat = own.reduce(0) { $0 + ($1.heatSupplied ?? 0) }
        let weighted = own.compactMap { month in month.loadFactor.map { ($0, month.operatingHours ?? 1) } }
        let hours = weighted.reduce(0) { $0 + $1.1 }
        let load = hours > 0 ? weighted.reduce(0) { $0 + $1.0 * $1.1 } / hours : nil
        let energy = heat + 3.6 * generation
        return PowerOutput(suppliedMWh: supplied, generationMWh: generation, heatGJ: heat, loadFactor: load,
                           heatRatio: energy > 0 ? heat / energy : 0, months: own.count)
    }
}

/// An enterprise's free allocation for a year, facility by facility: the pre-allocation on last
/// year's output, then the final allocation on the year's verified output, the difference
/// issued (or owed back) at true-up. Allowances are whole tonnes, rounded half up.
public struct EnterpriseAllocation: Sendable, Equatable, Codable {
    public enum Stage: String, Sendable, Codable, CaseIterable {
        case pre, final
    }

    public struct Line: Sendable, Equatable, Codable {
        public var facility: String
        public var unitClass: PowerAllocation.UnitClass
        public var output: PowerOutput
        public var tonnes: Double
    }

    public var year: Int
    public var stage: Stage
    public var lines: [Line]
    /// Facilities with a benchmark class whose months gave no output: allocated nothing, and said so.
    public var withoutOutput: [String]

    public var tonnes: Double { lines.reduce(0) { $0 + $1.tonnes } }
    public var units: Int64 { Int64((tonnes + 0.5).rounded(.down)) }

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case noPowerFacility(String)
        case rules(PowerAllocation.Problem)
        public var description: String {
            switch self {
            case let .noPowerFacility(code): "\(code) has no facility with a power benchmark class (unit_class in its sources sheet)"
            case let .rules(problem): problem.description
            }
        }
    }

    /// The allocation of `stage` for `year`: a pre-allocation reads `months` of the year before,
    /// a final allocation the year's own months (as verified).
    public static func compute(_ enterprise: Enterprise, year: Int, stage: Stage, months: [MonthlyEvidence],
                               rules: PowerAllocation = .standard) throws(Problem) -> EnterpriseAllocation {
        let power = enterprise.facilities.filter { $0.unitClass != nil }
        guard !power.isEmpty else { throw .noPowerFacility(enterprise.creditCode) }
        var lines: [Line] = [], missing: [String] = []
        for facility in power {
            guard let unit = facility.unitClass, let output = PowerOutput.of(months, facility: facility.key) else {
                missing.append(facility.key)
                continue
            }
            do {
                let tonnes = switch stage {
                case .pre:
                    try rules.preAllocation(year: year, unit: unit, previousSuppliedMWh: output.suppliedMWh, previousHeatGJ: output.heatGJ,
                                            cooling: facility.cooling, heatRatio: output.heatRatio)
                case .final:
                    try rules.allocation(year: year, unit: unit, suppliedMWh: output.suppliedMWh, heatGJ: output.heatGJ,
                                         loadFactor: output.loadFactor, cooling: facility.cooling, heatRatio: output.heatRatio)
                }
                lines.append(Line(facility: facility.key, unitClass: unit, output: output, tonnes: tonnes))
            } catch { throw .rules(error) }
        }
        return EnterpriseAllocation(year: year, stage: stage, lines: lines, withoutOutput: missing)
    }

    /// Units the true-up issues: the final allocation less what was pre-allocated; negative when
    /// the pre-allocation was more than the final, the units then owed back.
    public static func trueUp(final: Int64, preAllocated: Int64) -> Int64 { final - preAllocated }
}
