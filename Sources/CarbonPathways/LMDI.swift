import Foundation

/// Additive LMDI-I (Ang 2005) of the change in emissions between two years into five
/// effects, per sector: C = Σ P · (G/P) · (E_s/G) · (E_sf/E_s) · (C_sf/E_sf).
///
/// The effects add up exactly to the observed change. Where an element appears or
/// disappears (a fuel new to a sector, a factor that was zero), its whole change goes to
/// the factor that was zero, which is the analytical limit of the log-mean weights (Ang &
/// Liu 2007), so the sum stays exact without a small-number substitute. Emissions that do
/// not come from energy have no energy, mix or factor: their change beyond population and
/// affluence is their intensity effect.
public enum LMDI {
    public enum Effect: String, Sendable, Hashable, Codable, CaseIterable {
        case population, affluence, intensity, mix, factor
    }

    public struct Result: Sendable, Hashable, Codable {
        public var fromYear: Int
        public var toYear: Int
        public var from: Double
        public var to: Double
        public var effects: [Effect: Double]
        public var bySector: [String: [Effect: Double]]
        public var sectorChange: [String: Double]

        public var change: Double { to - from }
        public func effect(_ e: Effect) -> Double { effects[e] ?? 0 }
    }

    public enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        case missingFigure(year: Int, what: String)
        public var description: String {
            switch self {
            case let .missingFigure(year, what): "\(year) has no \(what): LMDI needs population and GDP in both years"
            }
        }
    }

    /// The logarithmic mean L(a, b) = (a − b) / (ln a − ln b), with L(a, a) = a.
    public static func logMean(_ a: Double, _ b: Double) -> Double {
        if a == b { return a }
        if a <= 0 || b <= 0 { return 0 }
        return (a - b) / (log(a) - log(b))
    }

    public static func decompose(from start: PathwayBase, to end: PathwayBase) throws(Problem) -> Result {
        guard let p0 = start.population, p0 > 0 else { throw .missingFigure(year: start.year, what: "population") }
        guard let p1 = end.population, p1 > 0 else { throw .missingFigure(year: end.year, what: "population") }
        guard let g0 = start.gdp, g0 > 0 else { throw .missingFigure(year: start.year, what: "GDP") }
        guard let g1 = end.gdp, g1 > 0 else { throw .missingFigure(year: end.year, what: "GDP") }

        struct Key: Hashable { var sector: String; var fuel: String? }
        func aggregate(_ base: PathwayBase) -> (cells: [Key: (energy: Double, emissions: Double)], sectorEnergy: [String: Double]) {
            var cells: [Key: (energy: Double, emissions: Double)] = [:], sectorEnergy: [String: Double] = [:]
            for cell in base.cells {
                let isEnergy = cell.fuel != nil && cell.energyTJ > 0
                let key = Key(sector: cell.sector, fuel: isEnergy ? cell.fuel : nil)
                cells[key, default: (0, 0)].energy += isEnergy ? cell.energyTJ : 0
                cells[key, default: (0, 0)].emissions += cell.emissionsTonnes
                if isEnergy { sectorEnergy[cell.sector, default: 0] += cell.energyTJ }
            }
            return (cells, sectorEnergy)
        }
        let a = aggregate(start), b = aggregate(end)
        var effects: [Effect: Double] = Dictionary(uniqueKeysWithValues: Effect.allCases.map { ($0, 0) })
        var bySector: [String: [Effect: Double]] = [:], sectorChange: [String: Double] = [:]
        for key in Set(a.cells.keys).union(b.cells.keys).sorted(by: { ($0.sector, $0.fuel ?? "") < ($1.sector, $1.fuel ?? "") }) {
            let c0 = a.cells[key] ?? (0, 0), c1 = b.cells[key] ?? (0, 0)
            let v0 = c0.emissions, v1 = c1.emissions
            sectorChange[key.sector, default: 0] += v1 - v0
            var sector = bySector[key.sector] ?? Dictionary(uniqueKeysWithValues: Effect.allCases.map { ($0, 0) })
            defer { bySector[key.sector] = sector }
            if v0 == 0 && v1 == 0 { continue }
            // The factors of this element in each year.
            func factors(_ c: (energy: Double, emissions: Double), _ sectorEnergy: Double, _ p: Double, _ g: Double) -> [Effect: Double] {
                if key.fuel == nil { return [.population: p, .affluence: g / p, .intensity: c.emissions / g, .mix: 1, .factor: 1] }
                return [.population: p, .affluence: g / p, .intensity: sectorEnergy / g,
                        .mix: sectorEnergy > 0 ? c.energy / sectorEnergy : 0, .factor: c.energy > 0 ? c.emissions / c.energy : 0]
            }
            let x0 = factors(c0, a.sectorEnergy[key.sector] ?? 0, p0, g0), x1 = factors(c1, b.sectorEnergy[key.sector] ?? 0, p1, g1)
            if v0 > 0 && v1 > 0 {
                let weight = logMean(v1, v0)
                for e in Effect.allCases {
                    let share = weight * log(x1[e]! / x0[e]!)
                    effects[e]! += share
                    sector[e]! += share
                }
            } else {
                // Appearing (v0 = 0) or disappearing (v1 = 0): the limit gives the whole change
                // to the first factor that is zero in the empty year.
                let empty = v0 == 0 ? x0 : x1
                let zero = [Effect.intensity, .mix, .factor].first { empty[$0]! == 0 } ?? .intensity
                effects[zero]! += v1 - v0
                sector[zero]! += v1 - v0
            }
        }
        return Result(fromYear: start.year, toYear: end.year, from: start.emissionsTonnes, to: end.emissionsTonnes,
                      effects: effects, bySector: bySector, sectorChange: sectorChange)
    }
}
