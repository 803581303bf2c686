import CarbonKit
import Foundation

/// A jurisdiction's figures by year: its own where given, else the sum of the jurisdictions
/// directly below it — each of those its own or, in turn, summed from below — when every one
/// of them has the figure for that year (a partial sum would understate the city). GDP is
/// summed only in one unit. A city whose statistics office gives districts only therefore
/// still has city figures, marked derived and naming what they sum.
public enum StatisticsRollUp {
    public static func byYear(_ jurisdiction: String, tree: JurisdictionTree, rows: [JurisdictionStatistic]) -> [Int: JurisdictionStatistic] {
        let given = Dictionary(grouping: rows, by: \.jurisdiction)
        var memo: [String: [Int: JurisdictionStatistic]] = [:]
        func figures(_ name: String, depth: Int) -> [Int: JurisdictionStatistic] {
            if let known = memo[name] { return known }
            var result: [Int: JurisdictionStatistic] = [:]
            for s in given[name] ?? [] { result[s.year] = s }
            let children = tree.children(of: name)
            // The tree refuses cycles; the depth bound only keeps a corrupt one from looping.
            if !children.isEmpty, depth < 64 {
                let below = children.map { figures($0, depth: depth + 1) }
                let years = Set(below.flatMap(\.keys)).subtracting(result.keys)
                for year in years {
                    let rows = below.compactMap { $0[year] }
                    guard rows.count == children.count else { continue }
                    let phrase = Phrase(key: "source.sumBelow", arguments: ["count": .number(children.count), "name": .literal(name)],
                                        english: "sum of the \(children.count) jurisdictions below \(name)")
                    var sum = JurisdictionStatistic(jurisdiction: name, year: year, source: phrase.english, derived: true)
                    sum.sourcePhrase = phrase
                    let units = Set(rows.map(\.gdpUnit)), bases = Set(rows.map(\.gdpConstantBaseYear)), methods = Set(rows.map(\.energyMethod))
                    for (field, keyPath) in JurisdictionStatistic.additive where rows.allSatisfy({ $0[keyPath: keyPath] != nil }) {
                        if JurisdictionStatistic.money.contains(field) && units.count != 1 { continue }
                        if field == "gdp_constant" && bases.count != 1 { continue }
                        if field.hasPrefix("energy_tce") && methods.count != 1 { continue }
                        sum[keyPath: keyPath] = decimalSum(rows.map { $0[keyPath: keyPath]! })
                    }
                    guard JurisdictionStatistic.additive.contains(where: { sum[keyPath: $0.keyPath] != nil }) else { continue }
                    let hasMoney = JurisdictionStatistic.additive.contains { JurisdictionStatistic.money.contains($0.name) && sum[keyPath: $0.keyPath] != nil }
                    sum.gdpUnit = hasMoney ? units.first ?? nil : nil
                    sum.gdpConstantBaseYear = sum.gdpConstant == nil ? nil : bases.first ?? nil
                    sum.energyMethod = sum.energyTce == nil && sum.energyTceSecondary == nil ? nil : methods.first ?? nil
                    result[year] = sum
                }
            }
            memo[name] = result
            return result
        }
        return figures(jurisdiction, depth: 0)
    }

    /// The sum of figures as they were written: 512.5 + 498.25 + … is 4445.48 in open data,
    /// not the binary sum's 4445.4800000000005.
    static func decimalSum(_ values: [Double]) -> Double {
        var sum = Decimal.zero
        for v in values {
            guard let exact = Decimal(string: String(describing: v), locale: Locale(identifier: "en_US_POSIX")) else { return values.reduce(0, +) }
            sum += exact
        }
        return Double(sum.description) ?? values.reduce(0, +)
    }

    /// Each of `names` given a share of the figures that never counts a person twice: a name
    /// with others of `names` below it keeps only what its figure holds beyond theirs (zero
    /// when its figure is their sum). The shares add up to the figures of the top names — so a
    /// scenario whose base year has cells for the city and for its districts counts the
    /// city's population once.
    public static func disjointShares(_ names: Set<String>, year: Int, tree: JurisdictionTree,
                                      rows: [JurisdictionStatistic]) -> [String: JurisdictionStatistic] {
        var result: [String: JurisdictionStatistic] = [:]
        for name in names {
            guard var own = byYear(name, tree: tree, rows: rows)[year] else { continue }
            // The nearest of `names` below this one, on every branch.
            var nearest: [String] = []
            var frontier = tree.children(of: name)
            var steps = 0
            while let next = frontier.popLast(), steps < 100_000 {
                steps += 1
                if names.contains(next) { nearest.append(next) } else { frontier += tree.children(of: next) }
            }
            for inner in nearest {
                guard let theirs = byYear(inner, tree: tree, rows: rows)[year] else { continue }
                own.population = own.population.map { max(0, $0 - (theirs.population ?? 0)) }
                // GDP in another unit cannot be taken off: the share is then unknown, never doubled.
                if theirs.gdp == nil || own.gdpUnit == theirs.gdpUnit { own.gdp = own.gdp.map { max(0, $0 - (theirs.gdp ?? 0)) } } else { own.gdp = nil }
            }
            result[name] = own
        }
        return result
    }
}
