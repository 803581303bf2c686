import CarbonKit
import Foundation

/// Population and GDP of a jurisdiction in a year: the denominators of per-capita and
/// per-GDP emissions.
public struct JurisdictionStatistic: Sendable, Equatable {
    public var jurisdiction: String
    public var year: Int
    public var population: Double?
    public var gdp: Double?
    public var gdpUnit: String?
    public var source: String?
}

public struct StatisticsRepository: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    static let columns = ["jurisdiction", "year", "population", "gdp", "gdp_unit", "source"]

    /// Reads `jurisdiction,year,population,gdp,gdp_unit,source` and stores every row (replacing
    /// the same jurisdiction and year) in one transaction, or nothing.
    @discardableResult
    public func importCSV(_ bytes: [UInt8], file: String, actor: String = "system") throws -> Int {
        let table = try bytes.withUnsafeBufferPointer { b throws(InputErrors) in try ReferenceTable(name: file, bytes: b) }
        var issues: [InputIssue] = []
        for column in ["jurisdiction", "year"] where !table.columns.contains(column) {
            issues.append(InputIssue(InputLocation(file: file, row: 1), value: column, reason: "required column is missing"))
        }
        for (i, column) in table.columns.enumerated() where !Self.columns.contains(column) {
            issues.append(InputIssue(InputLocation(file: file, row: 1, column: i + 1), value: column, reason: "unknown column",
                                     suggestion: Suggestion.didYouMean(column, among: Self.columns)))
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        return try database.write { db in
            let ids = try JurisdictionRepository.ids(db)
            var rows: [(Int64, JurisdictionStatistic)] = []
            for row in table.rows {
                let name = row["jurisdiction"]
                guard let id = ids[name] else {
                    issues.append(InputIssue(row.location("jurisdiction"), value: name, reason: "is not a jurisdiction of this city",
                                             suggestion: Suggestion.didYouMean(name, among: ids.keys)))
                    continue
                }
                guard let year = Int(row["year"]), (1850...2300).contains(year) else {
                    issues.append(InputIssue(row.location("year"), value: row["year"], reason: "is not a year"))
                    continue
                }
                var values: [Double?] = []
                for column in ["population", "gdp"] {
                    do throws(InputIssue) {
                        let value = try row.optionalDouble(column)
                        if let value, value < 0 { throw InputIssue(row.location(column), value: row[column], reason: "cannot be negative") }
                        values.append(value)
                    } catch {
                        issues.append(error)
                        values.append(nil)
                    }
                }
                rows.append((id, JurisdictionStatistic(jurisdiction: name, year: year, population: values[0], gdp: values[1],
                                                       gdpUnit: row["gdp_unit"].isEmpty ? nil : row["gdp_unit"],
                                                       source: row["source"].isEmpty ? nil : row["source"])))
            }
            if !issues.isEmpty { throw InputErrors(issues) }
            for (id, s) in rows {
                try db.execute(sql: """
                    INSERT INTO jurisdiction_statistic (jurisdiction_id, year, population, gdp, gdp_unit, source) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (jurisdiction_id, year) DO UPDATE SET population = excluded.population, gdp = excluded.gdp, gdp_unit = excluded.gdp_unit, source = excluded.source
                    """, arguments: [id, s.year, s.population, s.gdp, s.gdpUnit, s.source])
            }
            try AuditTrail.append(db, actor: actor, action: "import", entity: "statistics", entityID: file,
                                  after: .object([("file", .string(file)), ("rows", .integer(rows.count))]))
            return rows.count
        }
    }

    /// Every statistic, by jurisdiction and year; of one jurisdiction when given.
    public func all(jurisdiction: String? = nil) throws -> [JurisdictionStatistic] {
        try database.read { db in
            try SQLRow.fetchAll(db, sql: """
                SELECT j.name, s.* FROM jurisdiction_statistic s JOIN jurisdiction j ON j.id = s.jurisdiction_id
                \(jurisdiction == nil ? "" : "WHERE j.name = ?") ORDER BY j.id, s.year
                """, arguments: jurisdiction.map { [$0] } ?? []).map {
                JurisdictionStatistic(jurisdiction: $0["name"], year: $0["year"], population: $0["population"], gdp: $0["gdp"],
                                      gdpUnit: $0["gdp_unit"], source: $0["source"])
            }
        }
    }

    /// The population and GDP of `jurisdiction` in each year: its own statistic, or else the
    /// sum over the jurisdictions directly below it when every one of them has that number.
    public func aggregated(_ jurisdiction: String, tree: JurisdictionTree) throws -> [Int: JurisdictionStatistic] {
        let all = try all()
        var result: [Int: JurisdictionStatistic] = [:]
        for s in all where s.jurisdiction == jurisdiction { result[s.year] = s }
        let children = tree.children(of: jurisdiction)
        guard !children.isEmpty else { return result }
        let byYear = Dictionary(grouping: all.filter { children.contains($0.jurisdiction) }, by: \.year)
        for (year, rows) in byYear where result[year] == nil && Set(rows.map(\.jurisdiction)).count == children.count {
            let population = rows.allSatisfy { $0.population != nil } ? rows.reduce(0) { $0 + $1.population! } : nil
            let units = Set(rows.compactMap(\.gdpUnit))
            let gdp = rows.allSatisfy { $0.gdp != nil } && units.count <= 1 ? rows.reduce(0) { $0 + $1.gdp! } : nil
            result[year] = JurisdictionStatistic(jurisdiction: jurisdiction, year: year, population: population, gdp: gdp, gdpUnit: units.first,
                                                 source: "sum of \(children.count) jurisdictions below \(jurisdiction)")
        }
        return result
    }
}
