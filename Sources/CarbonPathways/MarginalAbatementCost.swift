import Foundation

/// The marginal abatement cost curve of a scenario's measures that have costs: each
/// measure's annualised cost per tonne it abates in one year, sorted from cheapest.
///
/// Annualised cost = CRF(r, n) · capital + operating − savings, with the capital recovery
/// factor CRF(r, n) = r(1+r)ⁿ / ((1+r)ⁿ − 1) (1/n at r = 0). A measure's abatement is its
/// wedge in the chosen year, which is already net of the measures acting before it, so
/// the bars do not double count. Measures below zero cost save money ("no regret").
public struct MarginalAbatementCurve: Sendable, Hashable, Codable {
    public struct Bar: Sendable, Hashable, Codable {
        public var id: String
        public var name: String
        public var abatementTonnes: Double
        public var annualisedCost: Double
        public var costPerTonne: Double
        public var currency: String
        /// Where the bar starts and ends on the cumulative abatement axis.
        public var cumulativeFrom: Double
        public var cumulativeTo: Double
        public var noRegret: Bool
        /// Among the cheapest measures that together close the target's gap.
        public var closesGap: Bool
    }

    public var year: Int
    public var discountRate: Double
    public var defaultLifetimeYears: Int
    public var bars: [Bar]
    /// Measures with costs that abate nothing in the year, left off the curve.
    public var withoutAbatement: [String]
    /// Baseline minus the target's allowed emissions in `year`, when a target falls there.
    public var targetGap: Double?
    public var target: String?
    public var totalAbatement: Double { bars.last?.cumulativeTo ?? 0 }

    public static let defaultLifetime = 20

    public static func capitalRecoveryFactor(rate: Double, years: Int) -> Double {
        if rate == 0 { return 1 / Double(years) }
        let growth = pow(1 + rate, Double(years))
        return rate * growth / (growth - 1)
    }

    public init(scenario: Scenario, result: PathwayResult, year chosen: Int? = nil) {
        let targetYears = (scenario.targets ?? []).map(\.year).filter { $0 > result.baseYear && $0 <= result.years.last! }
        let year = chosen ?? scenario.maccYear ?? targetYears.min() ?? result.years.last!
        let discountRate = scenario.discountRate ?? 0.05
        self.year = year
        self.discountRate = discountRate
        defaultLifetimeYears = Self.defaultLifetime
        var bars: [Bar] = [], idle: [String] = []
        for measure in scenario.measures {
            guard let cost = measure.cost, let wedge = result.wedges.first(where: { $0.id == measure.id }),
                  let abatement = result.value(wedge.tonnes, in: year) else { continue }
            let crf = Self.capitalRecoveryFactor(rate: discountRate, years: cost.lifetimeYears ?? Self.defaultLifetime)
            let annual = crf * (cost.capital ?? 0) + (cost.operatingPerYear ?? 0) - (cost.savingsPerYear ?? 0)
            guard abatement > 1e-9 else { idle.append(measure.id); continue }
            bars.append(Bar(id: measure.id, name: wedge.name, abatementTonnes: abatement, annualisedCost: annual,
                            costPerTonne: annual / abatement, currency: cost.currency, cumulativeFrom: 0, cumulativeTo: 0,
                            noRegret: annual < 0, closesGap: false))
        }
        bars.sort { ($0.costPerTonne, $0.id) < ($1.costPerTonne, $1.id) }
        let target = (scenario.targets ?? []).first { t in
            t.year == year && t.effectiveBasis == .gross && (t.kind == .reduction || t.kind == .grossBy)
        }
        let outcome = target.flatMap { t in result.analysis.targets.first { $0.id == t.id } }
        let baseline = result.value(result.baseline, in: year)
        let targetGap = outcome?.allowed.flatMap { allowed in baseline.map { max(0, $0 - allowed) } }
        self.targetGap = targetGap
        self.target = target?.id
        var running = 0.0
        for i in bars.indices {
            bars[i].cumulativeFrom = running
            if let gap = targetGap { bars[i].closesGap = running < gap }
            running += bars[i].abatementTonnes
            bars[i].cumulativeTo = running
        }
        self.bars = bars
        withoutAbatement = idle
    }
}
