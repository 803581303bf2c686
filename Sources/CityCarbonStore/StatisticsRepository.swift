import CarbonKit
import CityProgramme
import Foundation

public struct StatisticsRepository: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    static let columns = ["jurisdiction", "year", "population", "gdp", "gdp_unit", "source"]

    /// Reads `jurisdiction,year,population,gdp,gdp_unit,source` and stores every row (replacing
    /// the same jurisdiction and year) in one transaction, or nothing. The rows are a draft:
    /// the public sees them once they are published (``publish(by:key:)``).
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

    /// Every statistic of `edition`, by jurisdiction and year; of one jurisdiction when given.
    public func all(jurisdiction: String? = nil, edition: Edition) throws -> [JurisdictionStatistic] {
        try database.read { db in
            try SQLRow.fetchAll(db, sql: """
                SELECT j.name, s.* FROM \(edition.statisticTable) s JOIN jurisdiction j ON j.id = s.jurisdiction_id
                \(jurisdiction == nil ? "" : "WHERE j.name = ?") ORDER BY j.id, s.year
                """, arguments: jurisdiction.map { [$0] } ?? []).map {
                JurisdictionStatistic(jurisdiction: $0["name"], year: $0["year"], population: $0["population"], gdp: $0["gdp"],
                                      gdpUnit: $0["gdp_unit"], source: $0["source"])
            }
        }
    }

    /// Publishes the statistics as they stand: the public sees exactly these rows until they are
    /// published again. Returns how many rows changed for the public (0: nothing to publish, and
    /// nothing is written). The audit event records the rows' digest, so a later change of the
    /// published rows in the database shows in ``problems()``; with `key`, the chain's head after
    /// it is signed (``AuditTrail/checkpoint(with:subject:)``).
    @discardableResult
    public func publish(by actor: String, key: AuditKey? = nil) throws -> Int {
        let changed = try database.write { db in
            let changed = try Self.unpublishedChanges(db)
            guard changed > 0 else { return 0 }
            let before = try Self.publishedDigest(db)
            try db.execute(sql: "DELETE FROM published_statistic")
            try db.execute(sql: """
                INSERT INTO published_statistic (jurisdiction_id, year, population, gdp, gdp_unit, source)
                SELECT jurisdiction_id, year, population, gdp, gdp_unit, source FROM jurisdiction_statistic
                """)
            let after = try Self.publishedDigest(db)
            try AuditTrail.append(db, actor: actor, action: "publish", entity: "statistics", entityID: "statistics",
                                  before: .object([("rows", .integer(before.rows)), ("rows_sha256", .string(before.sha256))]),
                                  after: .object([("rows", .integer(after.rows)), ("rows_sha256", .string(after.sha256)),
                                                  ("changed", .integer(changed))]))
            return changed
        }
        if changed > 0, let key { try AuditTrail(database).checkpoint(with: key, subject: "statistics") }
        return changed
    }

    /// How many jurisdiction-years differ between the draft and the published statistics:
    /// added, changed or removed since the last publication.
    public func unpublishedChanges() throws -> Int {
        try database.read { db in try Self.unpublishedChanges(db) }
    }

    /// What contradicts the last publication: the published rows must be those its audit event
    /// recorded. Empty when they are, or when nothing was ever published through the platform.
    public func problems() throws -> [String] {
        let event = try AuditTrail(database).events(AuditTrail.Filter(entity: "statistics", action: "publish"), limit: 1, offset: 0).events.first
        guard let event, let recorded = event.after.flatMap(JSONValue.init(parsing:)), case .object(let fields) = recorded,
              case .string(let digest)? = Dictionary(fields, uniquingKeysWith: { a, _ in a })["rows_sha256"] else { return [] }
        let now = try database.read { db in try Self.publishedDigest(db) }
        return now.sha256 == digest ? [] : ["statistics: the published population and GDP changed since they were published (event \(event.id))"]
    }

    static let comparedColumns = "jurisdiction_id, year, population, gdp, gdp_unit, source"

    static func unpublishedChanges(_ db: any SQLConnection) throws -> Int {
        let c = comparedColumns
        return try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM (
              SELECT a.jurisdiction_id, a.year FROM (SELECT \(c) FROM jurisdiction_statistic EXCEPT SELECT \(c) FROM published_statistic) a
              UNION
              SELECT b.jurisdiction_id, b.year FROM (SELECT \(c) FROM published_statistic EXCEPT SELECT \(c) FROM jurisdiction_statistic) b
            ) changed
            """) ?? 0
    }

    static func publishedDigest(_ db: any SQLConnection) throws -> RowDigest {
        try RowDigest(db, sql: "SELECT \(comparedColumns) FROM published_statistic ORDER BY jurisdiction_id, year")
    }

    /// The population and GDP of `jurisdiction` in each year: its own statistic, or else the
    /// sum over the jurisdictions directly below it when every one of them has that number.
    public func aggregated(_ jurisdiction: String, tree: JurisdictionTree, edition: Edition) throws -> [Int: JurisdictionStatistic] {
        StatisticsRollUp.byYear(jurisdiction, tree: tree, rows: try all(edition: edition))
    }
}

extension Edition {
    var statisticTable: String { self == .current ? "jurisdiction_statistic" : "published_statistic" }
}
