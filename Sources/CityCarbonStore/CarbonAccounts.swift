import CarbonKit
import CarbonMarkets
import Foundation

/// The key emitters' carbon accounts (schema v21): each enterprise-year's economic figures and
/// carbon-efficiency grade, its free allocation issued into its operator holding account, and
/// its compliance from verified emissions and the ledger's surrenders. The rules are in
/// `CarbonMarkets`; this gathers their inputs from the registry, the reports and the ledger.
///
/// An operator holding account belongs to the enterprise whose credit code is its holder.
public struct CarbonAccounts: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    static let version = "v21: carbon accounts: enterprise years, allocations, allocation classes of facilities, voluntary disclosure"

    static func statements(_ dialect: SQLDialect) -> [String] {
        [
            "ALTER TABLE facility ADD COLUMN unit_class TEXT",
            "ALTER TABLE facility ADD COLUMN cooling TEXT",
            "ALTER TABLE enterprise ADD COLUMN discloses INTEGER NOT NULL DEFAULT 0",
            """
            CREATE TABLE enterprise_year (
              credit_code TEXT NOT NULL REFERENCES enterprise(credit_code) ON DELETE CASCADE, year INTEGER NOT NULL,
              value_added DOUBLE PRECISION NOT NULL, output DOUBLE PRECISION, output_unit TEXT, energy_co2 DOUBLE PRECISION,
              updated_at TEXT NOT NULL, PRIMARY KEY (credit_code, year))
            """,
            """
            CREATE TABLE allowance_allocation (
              credit_code TEXT NOT NULL, year INTEGER NOT NULL, stage TEXT NOT NULL, tonnes DOUBLE PRECISION NOT NULL,
              units BIGINT NOT NULL, issued BIGINT NOT NULL, account TEXT NOT NULL, ledger_sequence BIGINT, document TEXT NOT NULL,
              allocated_at TEXT NOT NULL, allocated_by TEXT NOT NULL, PRIMARY KEY (credit_code, year, stage))
            """,
        ]
    }

    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        case unknownEnterprise(String)
        case noOperatorAccount(String)
        case allocation(String)
        case alreadyAllocated(enterprise: String, year: Int, stage: EnterpriseAllocation.Stage)
        case preAllocationFirst(enterprise: String, year: Int)
        case notVerified(enterprise: String, year: Int)
        case ledger(String)

        public var description: String {
            switch self {
            case let .unknownEnterprise(code): "no enterprise with the credit code \(code)"
            case let .noOperatorAccount(code): "no open operator holding account is held by \(code) (its holder must be the credit code)"
            case let .allocation(reason): reason
            case let .alreadyAllocated(code, year, stage): "\(code) has its \(stage.rawValue) allocation for \(year) already"
            case let .preAllocationFirst(code, year): "\(code) has no pre-allocation for \(year): pre-allocate first"
            case let .notVerified(code, year): "\(code)'s report for \(year) is not accepted: the true-up needs verified output"
            case let .ledger(reason): reason
            }
        }
    }

    // MARK: Enterprise years

    /// Loads `enterprise-years.csv`: rows are added or replaced, all or nothing.
    @discardableResult
    public func importYears(_ bytes: [UInt8], file: String, actor: String) throws -> Int {
        let table = try ReferenceTable.sheet(bytes, name: file)
        return try database.write { db in
            let known = Set(try String.fetchAll(db, sql: "SELECT credit_code FROM enterprise"))
            let rows = try EnterpriseYearSheet.parse(table, known: known)
            let now = CityCarbonDatabase.now()
            for row in rows {
                try db.execute(sql: """
                    INSERT INTO enterprise_year (credit_code, year, value_added, output, output_unit, energy_co2, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (credit_code, year) DO UPDATE SET value_added = excluded.value_added, output = excluded.output,
                    output_unit = excluded.output_unit, energy_co2 = excluded.energy_co2, updated_at = excluded.updated_at
                    """, arguments: [row.creditCode, row.year, row.valueAdded, row.output, row.outputUnit, row.energyCO2, now])
            }
            try AuditTrail.append(db, actor: actor, action: "enterprise.years", entity: "enterprise_year", entityID: nil,
                                  after: .object([("file", .string(file)), ("rows", .integer(rows.count))]))
            return rows.count
        }
    }

    public func years(_ code: String? = nil) throws -> [EnterpriseYear] {
        try database.read { db in
            try SQLRow.fetchAll(db, sql: "SELECT * FROM enterprise_year" + (code == nil ? "" : " WHERE credit_code = ?") + " ORDER BY credit_code, year",
                                arguments: code.map { [$0] } ?? []).map { row in
                EnterpriseYear(creditCode: row["credit_code"], year: Int(row["year"] as Int64), valueAdded: row["value_added"],
                               output: row["output"], outputUnit: row["output_unit"], energyCO2: row["energy_co2"])
            }
        }
    }

    /// Accepted verified emissions of every enterprise for `year`.
    public func verified(year: Int) throws -> [String: Double] {
        let reports = EmissionReports(database)
        var result: [String: Double] = [:]
        for report in try reports.cases() where report.year == year && report.status == .accepted {
            result[report.enterprise] = try reports.verifiedEmissions(report.enterprise, year: year)
        }
        return result
    }

    // MARK: Carbon-efficiency grades

    /// The grades of `year` with the trend from the year before. Verified emissions come first;
    /// an enterprise without them is graded on its energy statistics, and says so.
    public func efficiency(year: Int) throws -> CarbonEfficiencyAssessment {
        let enterprises = Dictionary(try EnterpriseRepository(database).all().map { ($0.creditCode, $0) }, uniquingKeysWith: { a, _ in a })
        let all = try years()
        func inputs(_ year: Int) throws -> [CarbonEfficiencyAssessment.Input] {
            let verified = try verified(year: year)
            return all.filter { $0.year == year }.compactMap { row in
                guard let enterprise = enterprises[row.creditCode] else { return nil }
                let (co2, basis): (Double?, CarbonEfficiencyAssessment.Input.Basis) =
                    verified[row.creditCode].map { ($0, .verified) } ?? (row.energyCO2, .statistics)
                guard let co2 else { return nil }
                return .init(enterprise: row.creditCode, name: enterprise.name, industry: enterprise.industry,
                             jurisdiction: enterprise.jurisdiction, year: year, co2: co2, valueAdded: row.valueAdded, basis: basis)
            }
        }
        return CarbonEfficiencyAssessment(try inputs(year), previous: try inputs(year - 1))
    }

    /// A published grade: what the public sees of an enterprise-year's carbon efficiency.
    public struct PublishedGrade: Sendable, Equatable, Codable {
        public var grade: Int
        public var basis: CarbonEfficiencyAssessment.Input.Basis
        public var ratio: Double
    }

    /// Publishes `year`'s grades as they stand, replacing an earlier publication of the year:
    /// the disclosure shows these, not the grades of figures loaded since.
    @discardableResult
    public func publishGrades(year: Int, by actor: String) throws -> Int {
        var grades: [String: PublishedGrade] = [:]
        for result in try efficiency(year: year).results {
            if let grade = result.grade, let ratio = result.ratio {
                grades[result.input.enterprise] = PublishedGrade(grade: grade, basis: result.input.basis, ratio: ratio)
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let document = String(decoding: try encoder.encode(grades), as: UTF8.self)
        try database.write { db in
            try db.execute(sql: """
                INSERT INTO published_grades (year, document, published_at, published_by) VALUES (?, ?, ?, ?)
                ON CONFLICT (year) DO UPDATE SET document = excluded.document, published_at = excluded.published_at, published_by = excluded.published_by
                """, arguments: [year, document, CityCarbonDatabase.now(), actor])
            try AuditTrail.append(db, actor: actor, action: "grades.publish", entity: "published_grades", entityID: String(year),
                                  after: .object([("graded", .integer(grades.count))]))
        }
        return grades.count
    }

    /// The grades published for `year` by enterprise, and when; nil when none were published.
    public func publishedGrades(year: Int) throws -> (grades: [String: PublishedGrade], at: String, by: String)? {
        try database.read { db in
            guard let row = try SQLRow.fetchOne(db, sql: "SELECT * FROM published_grades WHERE year = ?", arguments: [year]) else { return nil }
            let document: String = row["document"]
            return (try JSONDecoder().decode([String: PublishedGrade].self, from: Data(document.utf8)), row["published_at"], row["published_by"])
        }
    }

    // MARK: Allocation

    public struct Allocation: Sendable, Equatable {
        public var enterprise: String
        public var year: Int
        public var stage: EnterpriseAllocation.Stage
        public var tonnes: Double
        /// Whole units the stage comes to: the pre-allocation, or the final allocation.
        public var units: Int64
        /// Units the stage issued: the pre-allocation, or the true-up when positive.
        public var issued: Int64
        public var account: String
        public var ledgerSequence: Int64?
        public var detail: EnterpriseAllocation
        public var allocatedAt: String
        public var allocatedBy: String
    }

    public func allocations(year: Int? = nil, enterprise: String? = nil) throws -> [Allocation] {
        try database.read { db in
            var sql = "SELECT * FROM allowance_allocation WHERE 1 = 1"
            var arguments: [any SQLValueConvertible] = []
            if let year { sql += " AND year = ?"; arguments.append(year) }
            if let enterprise { sql += " AND credit_code = ?"; arguments.append(enterprise) }
            return try SQLRow.fetchAll(db, sql: sql + " ORDER BY year, credit_code, stage DESC", arguments: SQLArguments(arguments)).map { row in
                let document: String = row["document"]
                return Allocation(enterprise: row["credit_code"], year: Int(row["year"] as Int64),
                                  stage: EnterpriseAllocation.Stage(rawValue: row["stage"]) ?? .pre, tonnes: row["tonnes"], units: row["units"],
                                  issued: row["issued"], account: row["account"], ledgerSequence: row["ledger_sequence"],
                                  detail: try JSONDecoder().decode(EnterpriseAllocation.self, from: Data(document.utf8)),
                                  allocatedAt: row["allocated_at"], allocatedBy: row["allocated_by"])
            }
        }
    }

    /// The enterprise's open operator holding account.
    func operatorAccount(_ code: String) throws -> RegistryAccount? {
        try AllowanceRegistry(database).accounts(kind: .operatorHolding).first { $0.holder == code && $0.status != .closed }
    }

    /// Allocates `stage` of `year` to `code`: the pre-allocation from last year's months, or the
    /// final allocation from the year's accepted report, issuing the units (the pre-allocation,
    /// or a positive true-up) into its operator holding account as `CEA` of vintage `year`. The
    /// ledger entry and the allocation record are one transaction; a stage is allocated once.
    @discardableResult
    public func allocate(_ code: String, year: Int, stage: EnterpriseAllocation.Stage, by actor: String, at date: Date = Date()) throws -> Allocation {
        guard let enterprise = try EnterpriseRepository(database).all().first(where: { $0.creditCode == code }) else {
            throw Refusal.unknownEnterprise(code)
        }
        guard let account = try operatorAccount(code) else { throw Refusal.noOperatorAccount(code) }
        let reports = EmissionReports(database)
        let months: [MonthlyEvidence]
        switch stage {
        case .pre: months = try reports.months(code, year: year - 1)
        case .final:
            guard let current = try reports.reportCase(code, year: year), current.status == .accepted,
                  let version = try reports.version(code, year: year, version: current.version) else {
                throw Refusal.notVerified(enterprise: code, year: year)
            }
            months = version.months
        }
        let computed: EnterpriseAllocation
        do { computed = try EnterpriseAllocation.compute(enterprise, year: year, stage: stage, months: months) } catch {
            throw Refusal.allocation(error.description)
        }
        if computed.lines.isEmpty {
            throw Refusal.allocation("no supply or heat was deposited for \(computed.withoutOutput.joined(separator: ", ")) in \(stage == .pre ? year - 1 : year)")
        }
        let reference = "allocation:\(code):\(year):\(stage.rawValue)"
        return try database.allowances.withLedger { cached in
            try database.write { db in
                let existing = try SQLRow.fetchAll(db, sql: "SELECT stage, units FROM allowance_allocation WHERE credit_code = ? AND year = ?",
                                                   arguments: [code, year])
                if existing.contains(where: { ($0["stage"] as String) == stage.rawValue }) {
                    throw Refusal.alreadyAllocated(enterprise: code, year: year, stage: stage)
                }
                let preUnits: Int64? = existing.first { ($0["stage"] as String) == "pre" }.map { $0["units"] }
                if stage == .final, preUnits == nil { throw Refusal.preAllocationFirst(enterprise: code, year: year) }
                let issued = stage == .pre ? computed.units : max(0, EnterpriseAllocation.trueUp(final: computed.units, preAllocated: preUnits ?? 0))
                var sequence: Int64?
                if issued > 0 {
                    let result = try AllowanceRegistry.apply([.issue(to: account.id, unit: "CEA", vintage: year, amount: issued, by: actor,
                                                                     reference: reference)], at: date, db, cached: &cached)[0]
                    switch result {
                    case let .success(entry): sequence = entry.sequence
                    case let .failure(error): throw Refusal.ledger(error.description)
                    }
                }
                let now = CityCarbonDatabase.now()
                let encoder = JSONEncoder()
                encoder.outputFormatting = .sortedKeys
                let document = String(decoding: try encoder.encode(computed), as: UTF8.self)
                try db.execute(sql: """
                    INSERT INTO allowance_allocation (credit_code, year, stage, tonnes, units, issued, account, ledger_sequence, document,
                    allocated_at, allocated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [code, year, stage.rawValue, computed.tonnes, computed.units, issued, account.id, sequence, document, now, actor])
                try AuditTrail.append(db, actor: actor, action: "allocation.\(stage.rawValue)", entity: "allowance_allocation",
                                      entityID: "\(code)/\(year)/\(stage.rawValue)",
                                      after: .object([("tonnes", .number(computed.tonnes)), ("units", .integer(Int(computed.units))),
                                                      ("issued", .integer(Int(issued))), ("account", .string(account.id))]))
                return Allocation(enterprise: code, year: year, stage: stage, tonnes: computed.tonnes, units: computed.units, issued: issued,
                                  account: account.id, ledgerSequence: sequence, detail: computed, allocatedAt: now, allocatedBy: actor)
            }
        }
    }

    // MARK: Compliance

    /// Every enterprise's position for `year` on `day`: each with an operator account, an
    /// allocation or an accepted report for the year.
    public func compliance(year: Int, on day: Day) throws -> [CompliancePosition] {
        let enterprises = try EnterpriseRepository(database).all()
        let accounts = try AllowanceRegistry(database).accounts(kind: .operatorHolding)
        let allocations = Dictionary(grouping: try allocations(year: year), by: \.enterprise)
        let verified = try verified(year: year)
        let surrendered = try surrenders(year: year)
        let reporting = Set(try EmissionReports(database).cases().filter { $0.year == year }.map(\.enterprise))
        let fromAllocation = try allocationTransfers(year: year)
        return enterprises.compactMap { enterprise in
            let code = enterprise.creditCode
            let held = accounts.filter { $0.holder == code }.map(\.id)
            // In scope for the year: allocated, reporting, or surrendering for it; an account alone is not an obligation.
            let surrenderedAny = held.contains { surrendered[$0] != nil }
            guard allocations[code] != nil || verified[code] != nil || reporting.contains(code) || surrenderedAny else { return nil }
            let own = allocations[code] ?? []
            // Allocated: what this desk issued for the year, and units of the year's vintage sent from an allocation account.
            let issued = own.reduce(0) { $0 + $1.issued } + held.reduce(Int64(0)) { $0 + (fromAllocation[$1] ?? 0) }
            let pre = own.first { $0.stage == .pre }?.units ?? 0
            let returnDue = own.first { $0.stage == .final }.map { max(0, pre - $0.units) } ?? 0
            let allowances = held.reduce(Int64(0)) { $0 + (surrendered[$1]?.allowances ?? 0) }
            let offsets = held.reduce(Int64(0)) { $0 + (surrendered[$1]?.offsets ?? 0) }
            return CompliancePosition.assess(enterprise: code, year: year, verified: verified[code], allocated: issued, returnDue: returnDue,
                                             surrenderedAllowances: allowances, surrenderedOffsets: offsets, on: day,
                                             gas: enterprise.facilities.contains { $0.unitClass == .gas }
                                                && !enterprise.facilities.contains { $0.unitClass != nil && $0.unitClass != .gas })
        }
    }

    /// Allowances of `year`'s vintage each account received from a national allocation account:
    /// free allocation handed out by transfer rather than issued to the account directly.
    func allocationTransfers(year: Int) throws -> [String: Int64] {
        let sources = try AllowanceRegistry(database).accounts(kind: .nationalAllocation).map(\.id)
        guard !sources.isEmpty else { return [:] }
        let allowanceUnits = ComplianceCycle.allowanceUnits
        return try database.read { db in
            var result: [String: Int64] = [:]
            let marks = sources.map { _ in "?" }.joined(separator: ", ")
            for row in try SQLRow.fetchAll(db, sql: "SELECT * FROM ledger_entry WHERE kind = 'transfer' AND from_account IN (\(marks))",
                                           arguments: SQLArguments(sources)) {
                let entry = AllowanceRegistry.entry(row)
                let units = entry.blocks.filter { $0.vintage == year && allowanceUnits.contains($0.unit) }.reduce(Int64(0)) { $0 + $1.count }
                if units > 0 { result[entry.to, default: 0] += units }
            }
            return result
        }
    }

    /// Units surrendered for `year` from each account, allowances and offsets apart.
    func surrenders(year: Int) throws -> [String: (allowances: Int64, offsets: Int64)] {
        let allowanceUnits = ComplianceCycle.allowanceUnits, offsetUnits = ComplianceCycle.offsetUnits
        return try database.read { db in
            var result: [String: (allowances: Int64, offsets: Int64)] = [:]
            for row in try SQLRow.fetchAll(db, sql: "SELECT * FROM ledger_entry WHERE kind = 'surrender' AND detail = ?",
                                           arguments: ["compliance year \(year)"]) {
                let entry = AllowanceRegistry.entry(row)
                guard let from = entry.from else { continue }
                var sum = result[from] ?? (0, 0)
                for block in entry.blocks {
                    if allowanceUnits.contains(block.unit) { sum.allowances += block.count }
                    if offsetUnits.contains(block.unit) { sum.offsets += block.count }
                }
                result[from] = sum
            }
            return result
        }
    }

    /// Blocks the operator accounts of enterprises whose verified emissions for `year` are
    /// missing after the deadline, and opens again those blocked whose emissions have since been
    /// accepted. Each change is a ledger entry; returns the accounts changed and how.
    @discardableResult
    public func enforceVerifiedDeadline(year: Int, on day: Day, by actor: String, at date: Date = Date()) throws -> [(account: String, status: RegistryAccount.Status)] {
        let positions = try compliance(year: year, on: day)
        let accounts = try AllowanceRegistry(database).accounts(kind: .operatorHolding)
        var operations: [LedgerOperation] = []
        for position in positions {
            for account in accounts where account.holder == position.enterprise {
                if position.verifiedMissingAfterDeadline, account.status == .open {
                    operations.append(.setStatus(account: account.id, .blocked, by: actor))
                } else if position.verified != nil, account.status == .blocked {
                    operations.append(.setStatus(account: account.id, .open, by: actor))
                }
            }
        }
        guard !operations.isEmpty else { return [] }
        return try AllowanceRegistry(database).apply(operations, at: date).compactMap { result in
            guard case let .success(entry) = result else { return nil }
            return (entry.to, RegistryAccount.Status(rawValue: entry.detail ?? "") ?? .blocked)
        }
    }

    // MARK: Disclosure

    /// One year of a disclosing enterprise as the public sees it: only what the regulator has
    /// accepted (verified emissions), allocated, settled or published (grades); never a draft,
    /// a report still in verification, or a grade of figures loaded since the last publication.
    public struct DisclosedYear: Sendable, Equatable {
        public var year: Int
        public var verified: Double?
        public var allocation: Int64?
        /// Nil while the year is open or the enterprise had nothing to surrender.
        public var complianceCode: ComplianceStatus.Code?
        public var shortfall: Double?
        public var grade: Int?
        public var gradeBasis: CarbonEfficiencyAssessment.Input.Basis?
    }

    public struct Disclosure: Sendable, Equatable {
        public var enterprise: Enterprise
        public var years: [DisclosedYear]
    }

    /// Every enterprise that discloses (listed and state-owned first, then by choice), with each
    /// year that has something public, newest first.
    public func disclosures(on day: Day, only code: String? = nil) throws -> [Disclosure] {
        let enterprises = try EnterpriseRepository(database).all().filter { $0.discloses && (code == nil || $0.creditCode == code) }
        guard !enterprises.isEmpty else { return [] }
        let codes = Set(enterprises.map(\.creditCode))
        let reportYears = try EmissionReports(database).cases().filter { codes.contains($0.enterprise) && $0.status == .accepted }.map(\.year)
        let allocationYears = try allocations().filter { codes.contains($0.enterprise) }.map(\.year)
        let gradeYears = try database.read { db in try Int.fetchAll(db, sql: "SELECT year FROM published_grades") }
        var byEnterprise: [String: [DisclosedYear]] = [:]
        for year in Set(reportYears + allocationYears + gradeYears).sorted(by: >) {
            let verified = try verified(year: year)
            let positions = Dictionary(try compliance(year: year, on: day).map { ($0.enterprise, $0) }, uniquingKeysWith: { a, _ in a })
            let allocated = Dictionary(grouping: try allocations(year: year), by: \.enterprise)
            let grades = try publishedGrades(year: year)?.grades ?? [:]
            for code in codes {
                let position = positions[code].flatMap { $0.open || $0.status.code == .excluded ? nil : $0 }
                let finalUnits = allocated[code]?.first { $0.stage == .final }?.units ?? allocated[code]?.first { $0.stage == .pre }?.units
                let item = DisclosedYear(year: year, verified: verified[code], allocation: finalUnits, complianceCode: position?.status.code,
                                         shortfall: position.flatMap { $0.status.obligation == nil ? nil : $0.toSurrender }, grade: grades[code]?.grade,
                                         gradeBasis: grades[code]?.basis)
                if item.verified != nil || item.allocation != nil || item.complianceCode != nil || item.grade != nil {
                    byEnterprise[code, default: []].append(item)
                }
            }
        }
        return enterprises.sorted { ($0.mustDisclose ? 0 : 1, $0.name) < ($1.mustDisclose ? 0 : 1, $1.name) }
            .map { Disclosure(enterprise: $0, years: byEnterprise[$0.creditCode] ?? []) }
    }
}
