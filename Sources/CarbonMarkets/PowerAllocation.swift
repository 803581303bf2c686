import Foundation

/// Free allocation of a power unit in China's national market (2019–2022 plans):
/// `A = B_supply × Q_supply × F + B_heat × Q_heat`, with `F = F_cooling × F_heat-supply × F_load`.
/// The benchmarks and the correction factors are data (`Resources/power-allocation.json`, with
/// their source), read once; a year without benchmarks is refused, never guessed.
public struct PowerAllocation: Sendable {
    public enum UnitClass: String, Sendable, CaseIterable, Codable {
        case coalOver300MW = "coal_over_300mw", coalUpTo300MW = "coal_up_to_300mw", unconventionalCoal = "unconventional_coal", gas
        var isCoal: Bool { self != .gas }
    }
    public enum Cooling: String, Sendable, Codable { case water, air }

    public struct Rules: Sendable, Decodable {
        struct Benchmarks: Sendable, Decodable {
            var years: [Int]
            var power_t_per_mwh: [String: Double]
            var heat_t_per_gj: [String: Double]
        }
        struct Segment: Sendable, Decodable {
            var from: Double?
            var to: Double?
            var kind: String
            var value: Double?
            var base: Double?
            var slope: Double?
            var reference_percent: Double?
            var constant: Double?
            var per_unit: Double?
        }
        struct LoadFactor: Sendable, Decodable { var segments: [Segment] }
        struct PreAllocation: Sendable, Decodable { var share_of_previous_year_output: Double }
        public var source: String
        var pre_allocation: PreAllocation
        var benchmarks: [Benchmarks]
        var cooling: [String: Double]
        var heat_supply: [String: Double]
        var load_factor: LoadFactor
    }

    public let rules: Rules

    public init(rules: Rules) { self.rules = rules }

    /// The rules the platform ships with.
    public static let standard: PowerAllocation = {
        let rules = ReferenceData.load("power-allocation", as: Rules.self)
        return PowerAllocation(rules: rules)
    }()

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case noBenchmarks(year: Int, known: [Int])
        case outOfRange(field: String, value: Double)
        public var description: String {
            switch self {
            case .noBenchmarks(let year, let known): "no allocation benchmarks for \(year); years with benchmarks: \(known.map(String.init).joined(separator: ", "))"
            case .outOfRange(let field, let value): "\(field) \(value) is outside its range"
            }
        }
    }

    /// The load-factor correction of a coal unit at load factor `load` (0…1): 1 at 85 % and above,
    /// rising as the load falls, continuous at every segment edge.
    public func loadCorrection(_ load: Double) throws(Problem) -> Double {
        guard load.isFinite, (0...1).contains(load) else { throw .outOfRange(field: "load factor", value: load) }
        for s in rules.load_factor.segments where load >= (s.from ?? -.infinity) && load < (s.to ?? .infinity) {
            switch s.kind {
            case "constant": return s.value ?? 1
            case "linear": return (s.base ?? 1) + (s.slope ?? 0) * ((s.reference_percent ?? 0) - 100 * load)
            case "power": return pow(s.base ?? 1, (s.constant ?? 0) - (s.per_unit ?? 0) * load)
            default: continue
            }
        }
        return 1
    }

    /// The heat-supply correction `1 − k × heat ratio`, k by fuel.
    public func heatSupplyCorrection(_ unit: UnitClass, heatRatio: Double) throws(Problem) -> Double {
        guard heatRatio.isFinite, (0...1).contains(heatRatio) else { throw .outOfRange(field: "heat ratio", value: heatRatio) }
        return 1 - (rules.heat_supply[unit.isCoal ? "coal" : "gas"] ?? 0) * heatRatio
    }

    /// The share of last year's output a pre-allocation gives before the true-up.
    public var preAllocationShare: Double { rules.pre_allocation.share_of_previous_year_output }

    /// Tonnes pre-allocated for `year` from the previous year's supply and heat: the share of
    /// the year's benchmark allocation, without the load-factor correction (known only ex post).
    public func preAllocation(year: Int, unit: UnitClass, previousSuppliedMWh: Double, previousHeatGJ: Double = 0,
                              cooling: Cooling = .water, heatRatio: Double = 0) throws(Problem) -> Double {
        preAllocationShare * (try allocation(year: year, unit: unit, suppliedMWh: previousSuppliedMWh, heatGJ: previousHeatGJ,
                                              loadFactor: nil, cooling: cooling, heatRatio: heatRatio))
    }

    /// Tonnes of allowances for a year's supply (MWh) and heat (GJ).
    public func allocation(year: Int, unit: UnitClass, suppliedMWh: Double, heatGJ: Double = 0, loadFactor: Double? = nil,
                           cooling: Cooling = .water, heatRatio: Double = 0) throws(Problem) -> Double {
        guard let b = rules.benchmarks.first(where: { $0.years.contains(year) }),
              let power = b.power_t_per_mwh[unit.rawValue], let heat = b.heat_t_per_gj[unit.rawValue] else {
            throw .noBenchmarks(year: year, known: rules.benchmarks.flatMap(\.years).sorted())
        }
        guard suppliedMWh.isFinite, suppliedMWh >= 0, suppliedMWh < 1e12 else { throw .outOfRange(field: "supplied MWh", value: suppliedMWh) }
        guard heatGJ.isFinite, heatGJ >= 0, heatGJ < 1e13 else { throw .outOfRange(field: "heat GJ", value: heatGJ) }
        var load = 1.0
        if let loadFactor, unit.isCoal { load = try loadCorrection(loadFactor) }
        let heatSupply = try heatSupplyCorrection(unit, heatRatio: heatRatio)
        let f = (rules.cooling[cooling.rawValue] ?? 1) * heatSupply * load
        return power * suppliedMWh * f + heat * heatGJ
    }
}
