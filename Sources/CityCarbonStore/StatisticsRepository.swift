import CarbonKit
import CityProgramme
import Foundation

public struct StatisticsRepository: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    /// The columns of a statistics file. The first six are the demo's layout; the rest are
    /// optional, each as ``JurisdictionStatistic`` describes it.
    static let columns = ["jurisdiction", "year", "population", "gdp", "gdp_unit", "source"]
        + ["gdp_constant", "gdp_constant_base_year", "value_added_primary", "value_added_secondary", "value_added_tertiary",
           "registered_population", "energy_tce", "energy_tce_primary", "energy_tce_secondary", "energy_tce_tertiary",
           "energy_tce_residential", "energy_method", "floor_area_m2", "deaths"]

    /// The stored columns, in the order of ``values(_:)``.
    static let storedColumns = ["population", "gdp", "gdp_unit", "source", "gdp_constant", "gdp_constant_base_year",
                                "value_added_primary", "value_added_secondary", "value_added_tertiary", "registered_population",
                                "energy_tce", "energy_tce_primary", "energy_tce_secondary", "energy_tce_tertiary", "energy_tce_residential",
                                "energy_method", "floor_area_m2", "deaths"]

    /// Schema v31: deaths join the statistics, the baseline of health impacts by district.
    static let deathsVersion = "v31: statistics carry deaths, the baseline rate of health impacts"
    static let deathsStatements = ["jurisdiction_statistic", "published_statistic"].map {
        "ALTER TABLE \($0) ADD COLUMN deaths DOUBLE PRECISION"
    }

    static func values(_ s: JurisdictionStatistic) -> [any SQLValueConvertible] {
        [s.population, s.gdp, s.gdpUnit, s.source, s.gdpConstant, s.gdpConstantBaseYear, s.valueAddedPrimary, s.valueAddedSecondary,
         s.valueAddedTertiary, s.registeredPopulation, s.energyTce, s.energyTcePrimary, s.energyTceSecondary, s.energyTceTertiary,
         s.energyTceResidential, s.energyMethod?.rawValue, s.floorAreaM2, s.deaths]
    }

    /// Reads a statistics CSV — `jurisdiction,year` and any of ``columns`` — and stores every
    /// row (replacing the same jurisdiction and year) in one transaction, or nothing; each
    /// problem is named by row, column and value. The rows are a draft: the public sees them
    /// once they are published (``publish(by:key:)``).
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
            var seen: [String: Int] = [:]
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
                if let earlier = seen["\(name)/\(year)"] {
                    issues.append(InputIssue(row.location("year"), value: "\(name) \(year)", reason: "is given twice (first on row \(earlier))"))
                    continue
                }
                seen["\(name)/\(year)"] = row.location("year").row ?? 0
                do throws(InputIssue) {
                    rows.append((id, try Self.statistic(row, jurisdiction: name, year: year)))
                } catch {
                    issues.append(error)
                }
            }
            if !issues.isEmpty { throw InputErrors(issues) }
            let columns = Self.storedColumns
            for (id, s) in rows {
                try db.execute(sql: """
                    INSERT INTO jurisdiction_statistic (jurisdiction_id, year, \(columns.joined(separator: ", ")))
                    VALUES (?, ?, \(columns.map { _ in "?" }.joined(separator: ", ")))
                    ON CONFLICT (jurisdiction_id, year) DO UPDATE SET \(columns.map { "\($0) = excluded.\($0)" }.joined(separator: ", "))
                    """, arguments: SQLArguments([id, s.year] + Self.values(s)))
            }
            try AuditTrail.append(db, actor: actor, action: "import", entity: "statistics", entityID: file,
                                  after: .object([("file", .string(file)), ("rows", .integer(rows.count)),
                                                  ("columns", .array(table.columns.map(JSONValue.string)))]))
            return rows.count
        }
    }

    /// One row's figures, checked: finite and not negative, people within what a jurisdiction
    /// can hold, money in a unit read as a scale and a currency, constant prices with their
    /// base year, value added summing to GDP and energy by sector within the total (1 %, for
    /// the statistics' own rounding), energy figures with their electricity method.
    static func statistic(_ row: ReferenceTable.Row, jurisdiction: String, year: Int) throws(InputIssue) -> JurisdictionStatistic {
        var s = JurisdictionStatistic(jurisdiction: jurisdiction, year: year, gdpUnit: row["gdp_unit"].isEmpty ? nil : row["gdp_unit"],
                                      source: row["source"].isEmpty ? nil : row["source"])
        for (column, keyPath) in JurisdictionStatistic.additive {
            guard let value = try row.optionalDouble(column) else { continue }
            if value < 0 { throw InputIssue(row.location(column), value: row[column], reason: "cannot be negative") }
            if column.hasSuffix("population"), value > 2e8 {
                throw InputIssue(row.location(column), value: row[column], reason: "is more people than any city holds (at most 200,000,000)")
            }
            s[keyPath: keyPath] = value
        }
        if let deaths = s.deaths, deaths != deaths.rounded() {
            throw InputIssue(row.location("deaths"), value: row["deaths"], reason: "is a count of deaths: a whole number")
        }
        if let deaths = s.deaths, let population = s.population, deaths > population {
            throw InputIssue(row.location("deaths"), value: row["deaths"],
                             reason: "is more than the population \(GroupedNumber.format(population, decimals: 0))")
        }
        let money = JurisdictionStatistic.additive.filter { JurisdictionStatistic.money.contains($0.name) && s[keyPath: $0.keyPath] != nil }
        if let first = money.first {
            guard let unit = s.gdpUnit else { throw InputIssue(row.location("gdp_unit"), reason: "is required with \(first.name)", suggestion: "10^8 CNY") }
            guard MoneyUnit(unit) != nil else {
                throw InputIssue(row.location("gdp_unit"), value: unit, reason: "is not a scale and a currency code", suggestion: "10^8 CNY, 10^4 CNY, million EUR")
            }
        }
        if !row["gdp_constant_base_year"].isEmpty {
            guard let base = Int(row["gdp_constant_base_year"]), (1950...year).contains(base) else {
                throw InputIssue(row.location("gdp_constant_base_year"), value: row["gdp_constant_base_year"], reason: "is not a year from 1950 to \(year)")
            }
            s.gdpConstantBaseYear = base
        }
        if (s.gdpConstant == nil) != (s.gdpConstantBaseYear == nil) {
            throw InputIssue(row.location(s.gdpConstant == nil ? "gdp_constant" : "gdp_constant_base_year"),
                             reason: "GDP at constant prices needs both its value and its base year")
        }
        if let gdp = s.gdp, let a = s.valueAddedPrimary, let b = s.valueAddedSecondary, let c = s.valueAddedTertiary, abs(a + b + c - gdp) > 0.01 * gdp {
            throw InputIssue(row.location("value_added_tertiary"), value: "\(a) + \(b) + \(c)", reason: "the value added of the three sectors does not add up to the GDP \(gdp) (within 1 %)")
        }
        let sectors = [s.energyTcePrimary, s.energyTceSecondary, s.energyTceTertiary, s.energyTceResidential].compactMap { $0 }
        if let total = s.energyTce, sectors.reduce(0, +) > total * 1.01 {
            throw InputIssue(row.location("energy_tce"), value: row["energy_tce"], reason: "is less than its sectors' sum \(sectors.reduce(0, +))")
        }
        if !row["energy_method"].isEmpty {
            guard let method = JurisdictionStatistic.EnergyMethod(rawValue: row["energy_method"]) else {
                throw InputIssue(row.location("energy_method"), value: row["energy_method"], reason: "is not a way of counting electricity", suggestion: "equivalent or calorific")
            }
            s.energyMethod = method
        } else if s.energyTce != nil || !sectors.isEmpty {
            throw InputIssue(row.location("energy_method"), reason: "is required with energy figures: how electricity is counted", suggestion: "equivalent or calorific")
        }
        return s
    }

    /// Every statistic of `edition`, by jurisdiction and year; of one jurisdiction when given.
    public func all(jurisdiction: String? = nil, edition: Edition) throws -> [JurisdictionStatistic] {
        try database.read { db in
            try SQLRow.fetchAll(db, sql: """
                SELECT j.name, s.* FROM \(edition.statisticTable) s JOIN jurisdiction j ON j.id = s.jurisdiction_id
                \(jurisdiction == nil ? "" : "WHERE j.name = ?") ORDER BY j.id, s.year
                """, arguments: jurisdiction.map { [$0] } ?? []).map {
                Self.statistic($0)
            }
        }
    }

    static func statistic(_ row: SQLRow) -> JurisdictionStatistic {
        var s = JurisdictionStatistic(jurisdiction: row["name"], year: row["year"], population: row["population"], gdp: row["gdp"],
                                      gdpUnit: row["gdp_unit"], source: row["source"])
        for (column, keyPath) in JurisdictionStatistic.additive { s[keyPath: keyPath] = row[column] }
        s.gdpConstantBaseYear = row["gdp_constant_base_year"]
        s.energyMethod = (row["energy_method"] as String?).flatMap(JurisdictionStatistic.EnergyMethod.init(rawValue:))
        return s
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
                INSERT INTO published_statistic (jurisdiction_id, year, \(Self.storedColumns.joined(separator: ", ")))
                SELECT jurisdiction_id, year, \(Self.storedColumns.joined(separator: ", ")) FROM jurisdiction_statistic
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

    static let comparedColumns = "jurisdiction_id, year, " + storedColumns.joined(separator: ", ")

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
        // `deaths` came in v31, after statistics were first published.
        try RowDigest(db, sql: "SELECT \(comparedColumns) FROM published_statistic ORDER BY jurisdiction_id, year", optionalTail: 1)
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
