import CarbonAccounting
import CarbonKit
import CarbonMarkets
import Foundation

/// The key emitters of the city: enterprises, their facilities and emission sources (schema
/// v19), loaded from the two sheets of ``EnterpriseSheet`` in one transaction.
public struct EnterpriseRepository: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    static let version = "v19: the enterprise registry: enterprises, facilities and emission sources"

    static let statements = [
        """
        CREATE TABLE enterprise (
          credit_code TEXT PRIMARY KEY, name TEXT NOT NULL, industry TEXT NOT NULL, jurisdiction TEXT NOT NULL,
          listed INTEGER NOT NULL, state_owned INTEGER NOT NULL, updated_at TEXT NOT NULL)
        """,
        "CREATE INDEX enterprise_on_jurisdiction ON enterprise(jurisdiction)",
        """
        CREATE TABLE facility (
          credit_code TEXT NOT NULL REFERENCES enterprise(credit_code) ON DELETE CASCADE, key TEXT NOT NULL, name TEXT NOT NULL,
          monitoring_site TEXT, PRIMARY KEY (credit_code, key))
        """,
        """
        CREATE TABLE emission_source (
          credit_code TEXT NOT NULL, facility TEXT NOT NULL, key TEXT NOT NULL, kind TEXT NOT NULL, fuel TEXT, datastreams TEXT NOT NULL,
          PRIMARY KEY (credit_code, facility, key), FOREIGN KEY (credit_code, facility) REFERENCES facility(credit_code, key) ON DELETE CASCADE)
        """,
    ]

    /// Loads the sheets: enterprises are added or updated; an enterprise named in the sources
    /// sheet has its facilities and sources replaced by the sheet's. All or nothing.
    @discardableResult
    public func importSheets(enterprises: [UInt8], file: String, sources: [UInt8]? = nil, sourcesFile: String = "sources.csv",
                             actor: String) throws -> (enterprises: Int, sources: Int) {
        let enterpriseTable = try ReferenceTable.sheet(enterprises, name: file)
        let sourceTable = try sources.map { try ReferenceTable.sheet($0, name: sourcesFile) }
        let jurisdictions = Set(try JurisdictionRepository(database).tree().order)
        let fuels = Set(FactorLibrary.standard.sets.values.flatMap(\.fuels))
        return try database.write { db in
            let known = Set(try String.fetchAll(db, sql: "SELECT credit_code FROM enterprise"))
            let parsed = try EnterpriseSheet.parse(enterprises: enterpriseTable, sources: sourceTable, known: known,
                                                   jurisdictions: jurisdictions, fuels: fuels)
            let now = CityCarbonDatabase.now()
            var sourceCount = 0
            for enterprise in parsed {
                if !enterprise.name.isEmpty {
                    try db.execute(sql: """
                        INSERT INTO enterprise (credit_code, name, industry, jurisdiction, listed, state_owned, discloses, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (credit_code) DO UPDATE SET name = excluded.name, industry = excluded.industry, jurisdiction = excluded.jurisdiction,
                        listed = excluded.listed, state_owned = excluded.state_owned, discloses = excluded.discloses, updated_at = excluded.updated_at
                        """, arguments: [enterprise.creditCode, enterprise.name, enterprise.industry, enterprise.jurisdiction,
                                         enterprise.listed ? 1 : 0, enterprise.stateOwned ? 1 : 0, enterprise.disclosesVoluntarily ? 1 : 0, now])
                }
                guard sourceTable != nil, !enterprise.facilities.isEmpty || enterprise.name.isEmpty else { continue }
                try db.execute(sql: "DELETE FROM emission_source WHERE credit_code = ?", arguments: [enterprise.creditCode])
                try db.execute(sql: "DELETE FROM facility WHERE credit_code = ?", arguments: [enterprise.creditCode])
                for facility in enterprise.facilities {
                    try db.execute(sql: "INSERT INTO facility (credit_code, key, name, monitoring_site, unit_class, cooling) VALUES (?, ?, ?, ?, ?, ?)",
                                   arguments: [enterprise.creditCode, facility.key, facility.name, facility.monitoringSite,
                                               facility.unitClass?.rawValue, facility.cooling.rawValue])
                    for source in facility.sources {
                        try db.execute(sql: """
                            INSERT INTO emission_source (credit_code, facility, key, kind, fuel, datastreams) VALUES (?, ?, ?, ?, ?, ?)
                            """, arguments: [enterprise.creditCode, facility.key, source.key, source.kind.rawValue, source.fuel,
                                             source.datastreams.joined(separator: ";")])
                        sourceCount += 1
                    }
                }
            }
            let count = parsed.filter { !$0.name.isEmpty }.count
            try AuditTrail.append(db, actor: actor, action: "enterprise.import", entity: "enterprise", entityID: nil,
                                  after: .object([("file", .string(file)), ("enterprises", .integer(count)), ("sources", .integer(sourceCount))]))
            return (count, sourceCount)
        }
    }

    /// Every enterprise with its facilities and sources, by name.
    public func all() throws -> [Enterprise] {
        try database.read { db in
            var sources: [String: [EmissionSource]] = [:]
            for row in try SQLRow.fetchAll(db, sql: "SELECT * FROM emission_source ORDER BY credit_code, facility, key") {
                let code: String = row["credit_code"], facility: String = row["facility"], streams: String = row["datastreams"]
                sources["\(code)\u{0}\(facility)", default: []].append(EmissionSource(
                    key: row["key"], kind: EmissionSource.Kind(rawValue: row["kind"]) ?? .combustion, fuel: row["fuel"],
                    datastreams: streams.split(separator: ";").map(String.init)))
            }
            var facilities: [String: [Facility]] = [:]
            for row in try SQLRow.fetchAll(db, sql: "SELECT * FROM facility ORDER BY credit_code, key") {
                let code: String = row["credit_code"], key: String = row["key"]
                let unitClass: String? = row["unit_class"], cooling: String? = row["cooling"]
                facilities[code, default: []].append(Facility(key: key, name: row["name"], monitoringSite: row["monitoring_site"],
                                                              sources: sources["\(code)\u{0}\(key)"] ?? [],
                                                              unitClass: unitClass.flatMap(PowerAllocation.UnitClass.init(rawValue:)),
                                                              cooling: cooling.flatMap(PowerAllocation.Cooling.init(rawValue:)) ?? .water))
            }
            return try SQLRow.fetchAll(db, sql: "SELECT * FROM enterprise ORDER BY name, credit_code").map { row in
                let code: String = row["credit_code"], listed: Int64 = row["listed"], stateOwned: Int64 = row["state_owned"]
                let discloses: Int64 = row["discloses"]
                return Enterprise(creditCode: code, name: row["name"], industry: row["industry"], jurisdiction: row["jurisdiction"],
                                  listed: listed != 0, stateOwned: stateOwned != 0, disclosesVoluntarily: discloses != 0,
                                  facilities: facilities[code] ?? [])
            }
        }
    }
}
