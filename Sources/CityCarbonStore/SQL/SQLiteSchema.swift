import GRDB

/// The SQLite schema, as the migrations that brought every workspace file to it: a file made
/// by an older version is migrated on open. The PostgreSQL schema (``PostgresSchema``) starts
/// where these end; a later change is written for both.
enum SQLiteSchema {
    static let v16 = "v16: activity rows are written without per-row bookkeeping"
    static let v17 = "v17: activity rows are stored in blocks of one file and year"

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: jurisdictions, factors, activities, inventories") { db in
            try db.create(table: "jurisdiction") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique()
                t.column("level", .text).notNull()
                t.column("parent_id", .integer).references("jurisdiction", onDelete: .restrict)
                t.column("code", .text)
            }
            try db.create(table: "factor_set") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique()
                t.column("title", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("default_ef_quality", .text)
                t.column("required_gases", .text).notNull().defaults(to: "")
                t.column("method", .text).notNull().defaults(to: "")
                t.column("source", .text).notNull()
                t.column("year", .integer)
                t.column("fingerprint", .text).notNull()
                t.column("created_at", .text).notNull()
            }
            try db.create(table: "factor") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("factor_set_id", .integer).notNull().indexed().references("factor_set", onDelete: .cascade)
                t.column("fuel", .text).notNull()
                t.column("applies_to", .text).notNull().defaults(to: "")
                t.column("technology", .text)
                t.column("is_default", .boolean).notNull().defaults(to: false)
                t.column("quantity", .text).notNull()
                t.column("value", .double).notNull()
                t.column("unit", .text).notNull()
                t.column("source", .text).notNull()
                t.column("year", .integer)
                t.column("confidence", .text)
                t.column("note", .text)
            }
            try db.create(table: "source_file") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull()
                t.column("sha256", .text).notNull()
                t.column("byte_count", .integer).notNull()
                t.column("row_count", .integer).notNull()
                t.column("imported_at", .text).notNull()
            }
            try db.create(table: "activity_record") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("jurisdiction_id", .integer).notNull().references("jurisdiction", onDelete: .restrict)
                t.column("year", .integer).notNull()
                t.column("source_file_id", .integer).notNull().indexed().references("source_file", onDelete: .cascade)
                t.column("line", .integer)
                t.column("gpc_ref", .text).notNull()
                t.column("fuel", .text)
                t.column("technology", .text)
                t.column("amount", .double)
                t.column("unit", .text)
                t.column("factor_set", .text)
                t.column("co2_kg_per_unit", .double)
                t.column("ch4_kg_per_unit", .double)
                t.column("n2o_kg_per_unit", .double)
                t.column("gas", .text)
                t.column("td_loss_rate", .double)
                t.column("notation_key", .text)
                t.column("ie_ref", .text)
                t.column("ad_quality", .text)
                t.column("ef_quality", .text)
                t.column("source", .text)
                t.column("note", .text)
            }
            try db.create(index: "activity_record_on_year_jurisdiction", on: "activity_record", columns: ["year", "jurisdiction_id"])
            try db.create(table: "inventory") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("year", .integer).notNull()
                t.column("gwp", .text).notNull()
                t.column("engine", .text).notNull()
                t.column("input_fingerprint", .text).notNull()
                t.column("factor_sets", .text).notNull()
                t.column("row_count", .integer).notNull()
                t.column("basic_t", .double).notNull()
                t.column("basic_plus_t", .double).notNull()
                t.column("territorial_t", .double).notNull()
                t.column("computed_at", .text).notNull()
                t.column("document", .text).notNull()
            }
            try db.create(index: "inventory_on_year", on: "inventory", columns: ["year", "computed_at"])
            try db.create(table: "inventory_cell") { t in
                t.column("inventory_id", .integer).notNull().references("inventory", onDelete: .cascade)
                t.column("jurisdiction_id", .integer).notNull().references("jurisdiction", onDelete: .restrict)
                t.column("gpc_ref", .text).notNull()
                t.column("scope", .integer).notNull()
                t.column("level", .text).notNull()
                t.column("co2e_t", .double).notNull()
                t.column("biogenic_co2_t", .double).notNull()
                t.column("gases_kg", .text).notNull()
                t.column("notation_keys", .text).notNull()
                t.column("ad_quality", .text)
                t.column("ef_quality", .text)
                t.column("row_count", .integer).notNull()
                t.primaryKey(["inventory_id", "jurisdiction_id", "gpc_ref"])
            }
        }
        migrator.registerMigration("v2: publication of inventory years") { db in
            try db.create(table: "inventory_publication") { t in
                t.primaryKey("year", .integer)
                t.column("published_at", .text).notNull()
                t.column("published_by", .text).notNull()
            }
        }
        migrator.registerMigration("v3: audit trail") { db in
            try db.create(table: "audit_event") { t in
                t.primaryKey("id", .integer)
                t.column("at", .text).notNull()
                t.column("actor", .text).notNull()
                t.column("action", .text).notNull()
                t.column("entity", .text).notNull()
                t.column("entity_id", .text)
                t.column("before", .text)
                t.column("after", .text)
                t.column("previous_hash", .text).notNull()
                t.column("hash", .text).notNull()
            }
            try db.create(index: "audit_event_on_entity", on: "audit_event", columns: ["entity", "entity_id"])
            // The trail only grows: changing or removing an event is refused by the database itself.
            try db.execute(sql: """
                CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event
                BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
                CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event
                BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
                """)
            try db.create(table: "audit_head") { t in
                t.primaryKey("singleton", .integer).check { $0 == 1 }
                t.column("last_id", .integer).notNull()
                t.column("last_hash", .text).notNull()
            }
        }
        migrator.registerMigration("v4: jurisdiction statistics and boundaries") { db in
            try db.create(table: "jurisdiction_statistic") { t in
                t.column("jurisdiction_id", .integer).notNull().references("jurisdiction", onDelete: .cascade)
                t.column("year", .integer).notNull()
                t.column("population", .double)
                t.column("gdp", .double)
                t.column("gdp_unit", .text)
                t.column("source", .text)
                t.primaryKey(["jurisdiction_id", "year"])
            }
            try db.create(table: "jurisdiction_boundary") { t in
                t.primaryKey("jurisdiction_id", .integer).references("jurisdiction", onDelete: .cascade)
                t.column("geometry", .text).notNull()
                t.column("source", .text)
            }
        }
        migrator.registerMigration("v5: accounts, sessions, API keys; a publication pins its inventory") { db in
            // Publishing approves one computation: a later recomputation stays a draft until published again.
            try db.alter(table: "inventory_publication") { t in
                t.add(column: "inventory_id", .integer).references("inventory", onDelete: .restrict)
            }
            try db.execute(sql: "UPDATE inventory_publication SET inventory_id = (SELECT MAX(id) FROM inventory i WHERE i.year = inventory_publication.year)")
            try db.create(table: "account") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("username", .text).notNull().unique()
                t.column("display_name", .text).notNull()
                t.column("password_hash", .text).notNull()
                t.column("role", .text).notNull()
                t.column("organisation", .text)
                t.column("jurisdictions", .text).notNull()
                t.column("disabled", .boolean).notNull()
                t.column("created_at", .text).notNull()
                t.column("password_changed_at", .text).notNull()
            }
            try db.create(table: "session") { t in
                t.primaryKey("token_hash", .text)
                t.column("account_id", .integer).notNull().references("account", onDelete: .cascade)
                t.column("csrf_token", .text).notNull()
                t.column("created_at", .text).notNull()
                t.column("expires_at", .double).notNull()
            }
            try db.create(table: "api_key") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull()
                t.column("prefix", .text).notNull()
                t.column("key_hash", .text).notNull().unique()
                t.column("role", .text).notNull()
                t.column("organisation", .text)
                t.column("jurisdictions", .text).notNull()
                t.column("created_by", .text).notNull()
                t.column("created_at", .text).notNull()
                t.column("revoked_at", .text)
            }
        }
        migrator.registerMigration("v6: climate plans and their actions") { db in
            try db.create(table: "plan") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("identifier", .text).notNull().unique()
                t.column("jurisdiction_id", .integer).references("jurisdiction", onDelete: .restrict)
                t.column("document", .text).notNull()
                t.column("updated_at", .text).notNull()
            }
            try db.create(table: "plan_action") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("plan_id", .integer).notNull().references("plan", onDelete: .cascade)
                t.column("identifier", .text).notNull()
                t.column("position", .integer).notNull()
                t.column("document", .text).notNull()
                t.column("updated_at", .text).notNull()
                t.uniqueKey(["plan_id", "identifier"])
            }
        }
        migrator.registerMigration("v7: indicator catalogue") { db in
            try db.create(table: "indicator") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("identifier", .text).notNull().unique()
                t.column("position", .integer).notNull()
                t.column("grouping", .text)
                t.column("note", .text)
                t.column("document", .text).notNull()
                t.column("updated_at", .text).notNull()
            }
        }
        migrator.registerMigration("v8: action drafts under review, targets, assessments, pilots, yearly reports") { db in
            // At most one draft per action: an editor's change waits here until it is approved.
            try db.create(table: "plan_action_draft") { t in
                t.primaryKey("plan_action_id", .integer).references("plan_action", onDelete: .cascade)
                t.column("state", .text).notNull()
                t.column("document", .text).notNull()
                // The published action the draft started from: approving over a newer one is refused.
                t.column("base_document", .text).notNull()
                t.column("author", .text).notNull()
                t.column("updated_at", .text).notNull()
                t.column("submitted_at", .text)
                t.column("review_note", .text)
                t.column("reviewed_by", .text)
            }
            try db.create(table: "target") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("identifier", .text).notNull().unique()
                t.column("position", .integer).notNull()
                t.column("document", .text).notNull()
                t.column("updated_at", .text).notNull()
            }
            try db.create(table: "assessment") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("year", .integer).notNull().unique()
                t.column("state", .text).notNull()
                t.column("document", .text).notNull()
                t.column("updated_at", .text).notNull()
                t.column("frozen_at", .text)
                t.column("frozen_by", .text)
                t.column("published_at", .text)
            }
            try db.create(table: "pilot") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("identifier", .text).notNull().unique()
                t.column("position", .integer).notNull()
                t.column("document", .text).notNull()
                t.column("updated_at", .text).notNull()
            }
            try db.create(table: "pilot_goal") { t in
                t.primaryKey("kind", .text)
                t.column("minimum", .integer).notNull()
                t.column("maximum", .integer)
                t.column("source", .text)
            }
            try db.create(table: "plan_report") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("plan_id", .integer).notNull().references("plan", onDelete: .restrict)
                t.column("year", .integer).notNull()
                t.column("version", .integer).notNull()
                t.column("document", .text).notNull()
                t.column("digest", .text).notNull()
                t.column("created_at", .text).notNull()
                t.column("created_by", .text).notNull()
                t.uniqueKey(["plan_id", "year", "version"])
            }
        }
        migrator.registerMigration("v9: pathway scenarios") { db in
            try db.create(table: "pathway_scenario") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("identifier", .text).notNull().unique()
                t.column("position", .integer).notNull()
                t.column("document", .text).notNull()
                t.column("updated_at", .text).notNull()
                t.column("updated_by", .text).notNull()
                // Public pages and the open API show a scenario once it is published.
                t.column("published_at", .text)
            }
        }
        migrator.registerMigration("v10: monitoring sites, datastreams, readings, roll-ups, alerts") { db in
            // One row of settings: the city's clock and the factors that price its meters.
            try db.create(table: "monitor_config") { t in
                t.primaryKey("id", .integer).check { $0 == 1 }
                t.column("utc_offset_minutes", .integer).notNull()
                t.column("grid_series", .text).notNull()
                t.column("fuel_factor_set", .text).notNull()
                t.column("gwp", .text).notNull()
            }
            try db.execute(sql: "INSERT INTO monitor_config VALUES (1, 480, 'cn_national', 'IPCC2006', 'AR5')")
            try db.create(table: "monitor_site") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("key", .text).notNull().unique()
                t.column("name", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("use", .text).notNull()
                t.column("jurisdiction_id", .integer).notNull().indexed().references("jurisdiction", onDelete: .restrict)
                t.column("organisation", .text).notNull().indexed()
                t.column("gpc_ref", .text).notNull()
                t.column("floor_area_m2", .double)
                t.column("annual_output", .double)
                t.column("output_unit", .text)
                t.column("created_at", .text).notNull()
            }
            // A Datastream carries its site's jurisdiction so that readings can be distributed by it.
            try db.create(table: "monitor_datastream") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("key", .text).notNull().unique()
                t.column("site_id", .integer).notNull().indexed().references("monitor_site", onDelete: .cascade)
                t.column("jurisdiction_id", .integer).notNull().references("jurisdiction", onDelete: .restrict)
                t.column("quantity", .text).notNull()
                t.column("unit", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("interval_s", .integer).notNull()
                t.column("multiplier", .double).notNull()
                t.column("rollover_at", .double)
                t.column("max_per_hour", .double)
                t.column("factor_set", .text)
                t.column("registered_at", .integer).notNull()
                // The newest reading, so ingestion appends without looking the readings up.
                t.column("last_time", .integer)
                t.column("last_value", .double)
            }
            // Readings keyed by datastream then time: a meter's history is one range, and a
            // reading sent twice meets its own key.
            try db.execute(sql: """
                CREATE TABLE monitor_reading (
                  datastream_id INTEGER NOT NULL,
                  t INTEGER NOT NULL,
                  value REAL NOT NULL,
                  consumption REAL,
                  kg_co2e REAL,
                  flag TEXT,
                  PRIMARY KEY (datastream_id, t)
                ) WITHOUT ROWID
                """)
            try db.execute(sql: """
                CREATE TABLE monitor_hour (
                  jurisdiction_id INTEGER NOT NULL,
                  gpc_ref TEXT NOT NULL,
                  quantity TEXT NOT NULL,
                  hour INTEGER NOT NULL,
                  consumption REAL NOT NULL,
                  kg_co2e REAL NOT NULL,
                  readings INTEGER NOT NULL,
                  PRIMARY KEY (jurisdiction_id, gpc_ref, quantity, hour)
                ) WITHOUT ROWID
                """)
            try db.execute(sql: "CREATE INDEX monitor_hour_on_hour ON monitor_hour(hour)")
            try db.execute(sql: """
                CREATE TABLE monitor_datastream_day (
                  datastream_id INTEGER NOT NULL,
                  day INTEGER NOT NULL,
                  consumption REAL NOT NULL,
                  kg_co2e REAL NOT NULL,
                  readings INTEGER NOT NULL,
                  PRIMARY KEY (datastream_id, day)
                ) WITHOUT ROWID
                """)
            try db.create(table: "monitor_factor_series") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique()
                t.column("start_hour", .integer).notNull()
                t.column("step_hours", .integer).notNull()
                t.column("kg_per_kwh", .blob).notNull()
                t.column("source", .text).notNull()
                t.column("imported_at", .text).notNull()
            }
            try db.create(table: "monitor_alert") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("datastream_id", .integer).notNull().references("monitor_datastream", onDelete: .cascade)
                t.column("site_id", .integer).notNull().indexed().references("monitor_site", onDelete: .cascade)
                t.column("kind", .text).notNull()
                t.column("from_t", .integer).notNull()
                t.column("to_t", .integer).notNull()
                t.column("observed", .double)
                t.column("expected", .double)
                t.column("status", .text).notNull().defaults(to: "open")
                t.column("created_at", .integer).notNull()
                t.uniqueKey(["datastream_id", "kind", "from_t"])
            }
            // Integration keys may be limited to named sites as well as to an organisation.
            try db.alter(table: "api_key") { t in t.add(column: "sites", .text).notNull().defaults(to: "") }
        }
        migrator.registerMigration("v11: pilot goals keep their sheet's order") { db in
            // The order was SQLite's rowid, which PostgreSQL has not.
            try db.alter(table: "pilot_goal") { t in t.add(column: "position", .integer).notNull().defaults(to: 0) }
            try db.execute(sql: "UPDATE pilot_goal SET position = rowid")
        }
        migrator.registerMigration(PostgresSchema.v12) { db in
            try db.execute(sql: PostgresSchema.v12Statements.joined(separator: ";\n"))
        }
        migrator.registerMigration(PostgresSchema.v13) { db in
            try db.execute(sql: PostgresSchema.v13Statements.joined(separator: ";\n"))
        }
        migrator.registerMigration(PostgresSchema.v14) { db in
            try db.execute(sql: PostgresSchema.v14Statements.joined(separator: ";\n"))
        }
        migrator.registerMigration(PostgresSchema.v15) { db in
            try db.execute(sql: PostgresSchema.v15Statements.joined(separator: ";\n"))
        }
        migrator.registerMigration(Self.v16) { db in
            // Half the cost of writing a row was SQLite's own bookkeeping: the AUTOINCREMENT
            // sequence, two foreign-key lookups and a second index. The platform is the only
            // writer (jurisdiction ids come from the tree, the file id from the same
            // transaction, and neither table loses rows a record points at), so the table is
            // rebuilt without them; row ids still grow with each import, so their order stays
            // the import order.
            let columns = try db.columns(in: "activity_record").map(\.name)
            try db.execute(sql: """
                CREATE TABLE activity_record_v16 (
                  id INTEGER PRIMARY KEY, jurisdiction_id INTEGER NOT NULL, year INTEGER NOT NULL, source_file_id INTEGER NOT NULL,
                  line INTEGER, gpc_ref TEXT NOT NULL, fuel TEXT, technology TEXT, amount DOUBLE, unit TEXT, factor_set TEXT,
                  co2_kg_per_unit DOUBLE, ch4_kg_per_unit DOUBLE, n2o_kg_per_unit DOUBLE, gas TEXT, td_loss_rate DOUBLE, notation_key TEXT,
                  ie_ref TEXT, ad_quality TEXT, ef_quality TEXT, source TEXT, note TEXT);
                INSERT INTO activity_record_v16 (\(columns.joined(separator: ", "))) SELECT \(columns.joined(separator: ", ")) FROM activity_record;
                DROP TABLE activity_record;
                ALTER TABLE activity_record_v16 RENAME TO activity_record;
                CREATE INDEX activity_record_on_year_jurisdiction ON activity_record(year, jurisdiction_id);
                """)
        }
        migrator.registerMigration(Self.v17) { db in
            // A row per activity still cost SQLite's own work a million times over; blocks of
            // rows (ActivityChunk) are a few dozen writes for a million rows.
            for statement in ActivityChunkStore.createStatements(blob: "BLOB", integer: "INTEGER", id: "INTEGER PRIMARY KEY") { try db.execute(sql: statement) }
            try ActivityChunkStore.convertRowTable(SQLiteConnection(db))
        }
        migrator.registerMigration(PostgresSchema.v17) { db in
            try db.execute(sql: PostgresSchema.v17Statements.joined(separator: ";\n"))
        }
        migrator.registerMigration(AllowanceRegistrySchema.version) { db in
            for statement in AllowanceRegistrySchema.statements(.sqlite) { try db.execute(sql: statement) }
        }
        migrator.registerMigration(EnterpriseRepository.version) { db in
            for statement in EnterpriseRepository.statements { try db.execute(sql: statement) }
        }
        migrator.registerMigration(EmissionReports.version) { db in
            for statement in EmissionReports.statements(.sqlite) { try db.execute(sql: statement) }
        }
        migrator.registerMigration(CarbonAccounts.version) { db in
            for statement in CarbonAccounts.statements(.sqlite) { try db.execute(sql: statement) }
        }
        migrator.registerMigration(EvidenceReviews.version) { db in
            for statement in EvidenceReviews.statements + TrustRequests.statements(.sqlite) { try db.execute(sql: statement) }
        }
        migrator.registerMigration(InclusionSchema.version) { db in
            for statement in InclusionSchema.statements(.sqlite) { try db.execute(sql: statement) }
        }
        migrator.registerMigration(InclusionCreditLines.version) { db in
            for statement in InclusionCreditLines.statements(.sqlite) { try db.execute(sql: statement) }
        }
        migrator.registerMigration(AirNetwork.version) { db in
            for statement in AirNetwork.statements(.sqlite) { try db.execute(sql: statement) }
        }
        migrator.registerMigration(InclusionBalanceTable.version) { db in
            for statement in InclusionBalanceTable.statements(.sqlite) { try db.execute(sql: statement) }
        }
        migrator.registerMigration(AirStreams.version) { db in
            for statement in AirStreams.statements(.sqlite) { try db.execute(sql: statement) }
        }
        migrator.registerMigration(InclusionAccountIndex.version) { db in
            for statement in InclusionAccountIndex.statements(.sqlite) { try db.execute(sql: statement) }
        }
        migrator.registerMigration(ObservationColumns.version) { db in
            for statement in ObservationColumns.statements(.sqlite) { try db.execute(sql: statement) }
        }
        migrator.registerMigration(AirCollocations.version) { db in
            for statement in AirCollocations.statements(.sqlite) { try db.execute(sql: statement) }
        }
        migrator.registerMigration(StatisticsRepository.deathsVersion) { db in
            for statement in StatisticsRepository.deathsStatements { try db.execute(sql: statement) }
        }
        migrator.registerMigration(AirSensorPlaces.version) { db in
            for statement in AirSensorPlaces.statements(.sqlite) { try db.execute(sql: statement) }
        }
        return migrator
    }
}
