import CarbonKit
import Foundation

/// Brings a PostgreSQL database to the current schema (`Resources/postgres-schema.sql`).
///
/// An empty database gets the whole script in one transaction; a database that has it is left
/// as it is; one with another version is refused rather than guessed at.
enum PostgresSchema {
    static let version = AirSensorPlaces.version
    static let v11 = "v11: pilot goals keep their sheet's order"
    static let v12 = "v12: a publication pins its activity rows and its scenario version; signed audit checkpoints; the monitoring window"

    static let v13 = "v13: statistics and indicator values are drafts until published"
    static let v14 = "v14: statistics carry constant-price GDP, value added by sector, registered population, energy use and floor area"

    static let v15 = "v15: the city's settings in one place"
    static let v16 = "v16: activity rows are stored in blocks of one file and year"
    static let v17 = "v17: a jurisdiction names the office that answers for it"
    static let v17Statements = ["ALTER TABLE jurisdiction ADD COLUMN office TEXT"]

    /// v14 → v15: the settings start from what monitoring held (clock, grid series, fuel
    /// factor set, GWP set); the rest take their defaults.
    static let v15Statements = [
        "CREATE TABLE city_settings (id BIGINT PRIMARY KEY CHECK (id = 1), document TEXT NOT NULL)",
        """
        INSERT INTO city_settings (id, document)
        SELECT 1, '{"currency":"CNY","energyMethod":"equivalent","factorSet":"' || fuel_factor_set || '","factorSetByFuel":{},"gridSeries":"'
          || grid_series || '","gwp":"' || gwp || '","headlineLevel":"basic_plus","names":{},"utcOffsetMinutes":' || utc_offset_minutes || '}'
        FROM monitor_config WHERE id = 1
        """,
    ]

    /// The statistics columns v14 adds, each on the draft and the published table.
    static let v14Columns = [
        "gdp_constant DOUBLE PRECISION", "gdp_constant_base_year BIGINT", "value_added_primary DOUBLE PRECISION",
        "value_added_secondary DOUBLE PRECISION", "value_added_tertiary DOUBLE PRECISION", "registered_population DOUBLE PRECISION",
        "energy_tce DOUBLE PRECISION", "energy_tce_primary DOUBLE PRECISION", "energy_tce_secondary DOUBLE PRECISION",
        "energy_tce_tertiary DOUBLE PRECISION", "energy_tce_residential DOUBLE PRECISION", "energy_method TEXT", "floor_area_m2 DOUBLE PRECISION",
    ]
    static let v14Statements = ["jurisdiction_statistic", "published_statistic"].flatMap { table in
        v14Columns.map { "ALTER TABLE \(table) ADD COLUMN \($0)" }
    }

    /// v11 → v12 in SQL both engines run (SQLite's migration runs the same statements).
    static let v12Statements = [
        """
        CREATE TABLE published_activity_record (
          year BIGINT NOT NULL,
          position BIGINT NOT NULL,
          jurisdiction_id BIGINT NOT NULL REFERENCES jurisdiction(id) ON DELETE RESTRICT,
          source_file TEXT NOT NULL,
          line BIGINT,
          gpc_ref TEXT NOT NULL,
          fuel TEXT, technology TEXT, amount DOUBLE PRECISION, unit TEXT, factor_set TEXT,
          co2_kg_per_unit DOUBLE PRECISION, ch4_kg_per_unit DOUBLE PRECISION, n2o_kg_per_unit DOUBLE PRECISION,
          gas TEXT, td_loss_rate DOUBLE PRECISION, notation_key TEXT, ie_ref TEXT, ad_quality TEXT, ef_quality TEXT,
          source TEXT, note TEXT,
          PRIMARY KEY (year, position)
        )
        """,
        // The rows of years already published are pinned as they stand, but only where the
        // published computation is the year's latest: where a newer draft exists the rows may be
        // the draft's, and the public must not see them (such a year is pinned when published again).
        // Positions count from 0 within the year in import order, as publishing numbers them.
        """
        INSERT INTO published_activity_record (year, position, jurisdiction_id, source_file, line, gpc_ref, fuel, technology, amount, unit,
          factor_set, co2_kg_per_unit, ch4_kg_per_unit, n2o_kg_per_unit, gas, td_loss_rate, notation_key, ie_ref, ad_quality, ef_quality, source, note)
        SELECT a.year, ROW_NUMBER() OVER (PARTITION BY a.year ORDER BY a.id) - 1, a.jurisdiction_id, f.name, a.line, a.gpc_ref, a.fuel, a.technology, a.amount, a.unit, a.factor_set, a.co2_kg_per_unit,
          a.ch4_kg_per_unit, a.n2o_kg_per_unit, a.gas, a.td_loss_rate, a.notation_key, a.ie_ref, a.ad_quality, a.ef_quality, a.source, a.note
        FROM activity_record a JOIN source_file f ON f.id = a.source_file_id
        WHERE a.year IN (SELECT p.year FROM inventory_publication p WHERE p.inventory_id = (SELECT MAX(i.id) FROM inventory i WHERE i.year = p.year))
        """,
        "ALTER TABLE monitor_config ADD COLUMN earliest_reading BIGINT NOT NULL DEFAULT 946684800",
        "ALTER TABLE monitor_config ADD COLUMN max_ahead_s BIGINT NOT NULL DEFAULT 86400",
        // A published scenario keeps the version that was published; saving changes only `document`.
        "ALTER TABLE pathway_scenario ADD COLUMN published_document TEXT",
        "UPDATE pathway_scenario SET published_document = document WHERE published_at IS NOT NULL",
        // Draft → review → published: who submitted the saved version for review, and when.
        "ALTER TABLE pathway_scenario ADD COLUMN submitted_by TEXT",
        "ALTER TABLE pathway_scenario ADD COLUMN submitted_at TEXT",
        // Signed heads of the audit chain (the key is never in the database).
        """
        CREATE TABLE audit_checkpoint (
          event BIGINT NOT NULL,
          hash TEXT NOT NULL,
          at TEXT NOT NULL,
          public_key TEXT NOT NULL,
          signature TEXT NOT NULL,
          subject TEXT NOT NULL,
          PRIMARY KEY (event, public_key)
        )
        """,
    ]

    /// v12 → v13. What the public saw before (every statistic, every indicator as stored) is
    /// what stays published; later imports are drafts until published again.
    static let v13Statements = [
        """
        CREATE TABLE published_statistic (
          jurisdiction_id BIGINT NOT NULL REFERENCES jurisdiction(id) ON DELETE CASCADE,
          year BIGINT NOT NULL,
          population DOUBLE PRECISION,
          gdp DOUBLE PRECISION,
          gdp_unit TEXT,
          source TEXT,
          PRIMARY KEY (jurisdiction_id, year)
        )
        """,
        """
        INSERT INTO published_statistic (jurisdiction_id, year, population, gdp, gdp_unit, source)
        SELECT jurisdiction_id, year, population, gdp, gdp_unit, source FROM jurisdiction_statistic
        """,
        // The indicator as the public sees it (definition, values, goals); `document` is the draft.
        "ALTER TABLE indicator ADD COLUMN published_document TEXT",
        "ALTER TABLE indicator ADD COLUMN published_grouping TEXT",
        "ALTER TABLE indicator ADD COLUMN published_note TEXT",
        "UPDATE indicator SET published_document = document, published_grouping = grouping, published_note = note",
    ]

    /// The steps from each earlier version PostgreSQL databases in the field may have.
    /// A step may end with work SQL cannot say (moving rows into blocks).
    static let steps: [(from: String, to: String, statements: [String], then: (@Sendable (any SQLConnection) throws -> Void)?)] = [
        (v11, v12, v12Statements, nil), (v12, v13, v13Statements, nil), (v13, v14, v14Statements, nil), (v14, v15, v15Statements, nil),
        (v15, v16, ActivityChunkStore.createStatements(blob: "BYTEA", integer: "BIGINT", id: "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"), ActivityChunkStore.convertRowTable),
        (v16, v17, v17Statements, nil),
        (v17, AllowanceRegistrySchema.version, AllowanceRegistrySchema.statements(.postgres), nil),
        (AllowanceRegistrySchema.version, EnterpriseRepository.version, EnterpriseRepository.statements, nil),
        (EnterpriseRepository.version, EmissionReports.version, EmissionReports.statements(.postgres), nil),
        (EmissionReports.version, CarbonAccounts.version, CarbonAccounts.statements(.postgres), nil),
        (CarbonAccounts.version, EvidenceReviews.version, EvidenceReviews.statements + TrustRequests.statements(.postgres), nil),
        (EvidenceReviews.version, InclusionSchema.version, InclusionSchema.statements(.postgres), nil),
        (InclusionSchema.version, InclusionCreditLines.version, InclusionCreditLines.statements(.postgres), nil),
        (InclusionCreditLines.version, AirNetwork.version, AirNetwork.statements(.postgres), nil),
        (AirNetwork.version, InclusionBalanceTable.version, InclusionBalanceTable.statements(.postgres), nil),
        (InclusionBalanceTable.version, AirStreams.version, AirStreams.statements(.postgres), nil),
        (AirStreams.version, InclusionAccountIndex.version, InclusionAccountIndex.statements(.postgres), nil),
        (InclusionAccountIndex.version, ObservationColumns.version, ObservationColumns.statements(.postgres), nil),
        (ObservationColumns.version, AirCollocations.version, AirCollocations.statements(.postgres), nil),
        (AirCollocations.version, StatisticsRepository.deathsVersion, StatisticsRepository.deathsStatements, nil),
        (StatisticsRepository.deathsVersion, AirSensorPlaces.version, AirSensorPlaces.statements(.postgres), nil),
    ]

    static func prepare(_ store: PostgresStore) throws {
        let present = try store.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_version'") ?? 0
        }
        if present == 0 {
            let statements = statements(of: try script())
            try store.write { db in
                for statement in statements { try db.execute(sql: statement) }
            }
        }
        var found = try store.read { db in try String.fetchOne(db, sql: "SELECT version FROM schema_version") }
        for step in steps where step.from == found {
            try store.write { db in
                for statement in step.statements { try db.execute(sql: statement) }
                try step.then?(db)
                try db.execute(sql: "UPDATE schema_version SET version = ?", arguments: [step.to])
            }
            found = step.to
        }
        guard found == version else {
            throw InputErrors([InputIssue(InputLocation(field: "database"), value: found ?? "none",
                                          reason: "this PostgreSQL database has schema \(found ?? "none"); this version of CityCarbon uses \(version)")])
        }
    }

    static func script() throws -> String {
        guard let url = Bundle.module.url(forResource: "postgres-schema", withExtension: "sql", subdirectory: "Resources")
                ?? Bundle.module.resourceURL?.appendingPathComponent("Resources/postgres-schema.sql"),
              let data = FileManager.default.contents(atPath: url.path) else {
            throw InputErrors([InputIssue(InputLocation(file: "postgres-schema.sql"), reason: "missing from the store's resources")])
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The script's statements: split at semicolons outside quotes and `$$` bodies, comments dropped.
    static func statements(of script: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var inQuote = false, inBody = false
        let lines = script.split(separator: "\n", omittingEmptySubsequences: false)
        for line in lines where inBody || inQuote || !line.trimmingCharacters(in: .whitespaces).hasPrefix("--") {
            var previous: Character = " "
            for c in line {
                current.append(c)
                if c == "'" && !inBody { inQuote.toggle() }
                if c == "$" && previous == "$" && !inQuote { inBody.toggle() }
                if c == ";" && !inQuote && !inBody {
                    statements.append(current.trimmingCharacters(in: .whitespacesAndNewlines))
                    current = ""
                }
                previous = c
            }
            current.append("\n")
        }
        let rest = current.trimmingCharacters(in: .whitespacesAndNewlines)
        if !rest.isEmpty { statements.append(rest) }
        return statements
    }

    /// The first second of each month (UTC) from `from` to `to`, as partition bounds.
    static func monthBounds(from: Int64, to: Int64) -> [(name: String, lower: Int64, upper: Int64)] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        var bounds: [(String, Int64, Int64)] = []
        var components = calendar.dateComponents([.year, .month], from: Date(timeIntervalSince1970: TimeInterval(from)))
        while true {
            let start = calendar.date(from: components)!
            let lower = Int64(start.timeIntervalSince1970)
            if lower > to { break }
            let next = calendar.date(byAdding: .month, value: 1, to: start)!
            bounds.append((String(format: "monitor_reading_%04d_%02d", components.year!, components.month!), lower, Int64(next.timeIntervalSince1970)))
            components = calendar.dateComponents([.year, .month], from: next)
        }
        return bounds
    }
}
