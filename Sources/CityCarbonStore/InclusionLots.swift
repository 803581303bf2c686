import CarbonInclusion
import CarbonKit
import CarbonMarkets
import Foundation

/// A lot as stored: its credits are flagged with its id, so none can be taken again.
public struct StoredLot: Sendable, Equatable {
    public var id: String
    public var scheme: String
    public var month: String
    public var grams: Micro
    public var tonnes: Int64
    public var credits: Int64
    public var registryAccount: String?
    public var registryUnit: String?
    public var registrySequence: Int64?
    public var createdBy: String
    public var createdAt: String
}

/// Lots of verified reductions and their way into a registry. A credit joins at most one lot
/// and never one if it was claimed under another mechanism; the flag is set by the same
/// statement that checks it, so two staff building the same month at once cannot both take a
/// credit (the second finds it taken and changes nothing).
public struct InclusionLots: Sendable {
    let database: CityCarbonDatabase
    let catalogue: MethodologyCatalogue

    public init(_ database: CityCarbonDatabase, catalogue: MethodologyCatalogue = .shipped) {
        self.database = database
        self.catalogue = catalogue
    }

    /// Builds the lot of `scheme`'s `month` from what qualifies and is still free.
    public func build(scheme code: String, month: String, by actor: String, now: Date = Date()) throws -> StoredLot {
        guard let scheme = catalogue.scheme(code) else { throw InclusionRefusal.invalid(field: "scheme", value: code, reason: "is not a scheme") }
        guard month.utf8.count == 7, Day(month + "-01") != nil else {
            throw InclusionRefusal.invalid(field: "month", value: month, reason: "must be a month like 2026-03")
        }
        let millis = Int64(now.timeIntervalSince1970 * 1000)
        return try database.inclusion.with { state in
            try database.write { db in
                try InclusionIntake.bringUpToDate(state, db, catalogue: catalogue, now: Int64(now.timeIntervalSince1970))
                let candidates = try SQLRow.fetchAll(db, sql: """
                    SELECT id, grams_micro, evidence, day, lot, claimed_elsewhere FROM inclusion_event
                    WHERE scheme = ? AND status = 'available' AND lot IS NULL AND claimed_elsewhere IS NULL AND day >= ? AND day <= ?
                    ORDER BY id
                    """, arguments: [code, month + "-01", month + "-31"]).map { row in
                    LotCandidate(credit: row["id"], grams: Micro(millionths: row["grams_micro"]), evidence: row["evidence"],
                                 day: Day(row["day"] as String) ?? Day(ordinal: 0), lot: row["lot"], claimedElsewhere: row["claimed_elsewhere"],
                                 settled: true)
                }
                let number = (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inclusion_lot WHERE scheme = ? AND month = ?", arguments: [code, month]) ?? 0) + 1
                let id = "\(code.uppercased())-\(month.replacingOccurrences(of: "-", with: ""))-\(number)"
                guard let lot = ReductionLot.assemble(id: id, scheme: scheme, month: month, from: candidates) else {
                    throw InclusionRefusal.nothingToLot(scheme: code, month: month)
                }
                for chunk in stride(from: 0, to: lot.credits.count, by: 500).map({ Array(lot.credits[$0..<min($0 + 500, lot.credits.count)]) }) {
                    let marks = Array(repeating: "?", count: chunk.count).joined(separator: ", ")
                    try db.execute(sql: "UPDATE inclusion_event SET lot = ? WHERE lot IS NULL AND claimed_elsewhere IS NULL AND id IN (\(marks))",
                                   arguments: SQLArguments([id] + chunk))
                    guard db.changesCount == chunk.count else { throw InclusionRefusal.lotClaimedTwice(credit: chunk[0]) }
                }
                var ledger = state.takeLedger()
                let entry = try ledger.append(.lot, account: "lot:\(id)", reference: id, grams: lot.grams, atMillis: millis)
                try InclusionIntake.persist([entry], touched: [], ledger: ledger, db, actor: actor)
                state.ledger = ledger
                let stored = StoredLot(id: id, scheme: code, month: month, grams: lot.grams, tonnes: lot.tonnes, credits: Int64(lot.credits.count),
                                       createdBy: actor, createdAt: CityCarbonDatabase.now())
                try db.execute(sql: """
                    INSERT INTO inclusion_lot (id, scheme, month, grams_micro, tonnes, credits, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [id, code, month, lot.grams.millionths, lot.tonnes, stored.credits, actor, stored.createdAt])
                try AuditTrail.append(db, actor: actor, action: "inclusion.lot", entity: "inclusion_lot", entityID: id,
                                      after: .object([("grams", .string(lot.grams.description)), ("tonnes", .integer(Int(lot.tonnes))),
                                                      ("credits", .integer(lot.credits.count))]))
                return stored
            }
        }
    }

    /// Issues a lot's whole tonnes into `account` of the allowance registry, as the scheme's
    /// registry unit of the lot's year. The registry refuses a second issue of the same lot
    /// (its reference), so a retry after a failure never issues twice.
    @discardableResult
    public func issue(_ id: String, into account: String, by actor: String) throws -> LedgerEntry {
        guard let lot = try lot(id) else { throw InclusionRefusal.invalid(field: "lot", value: id, reason: "is not a lot") }
        guard lot.tonnes >= 1 else { throw InclusionRefusal.invalid(field: "lot", value: id, reason: "holds less than one tonne") }
        let unit = catalogue.scheme(lot.scheme)?.registry_unit ?? "PHCER"
        let entry = try AllowanceRegistry(database).apply(.issue(to: account, unit: unit, vintage: Int(lot.month.prefix(4)) ?? 0,
                                                                  amount: lot.tonnes, by: actor, reference: "inclusion-lot:\(id)"))
        try database.write { db in
            try db.execute(sql: "UPDATE inclusion_lot SET registry_account = ?, registry_unit = ?, registry_sequence = ? WHERE id = ?",
                           arguments: [account, unit, entry.sequence, id])
        }
        return entry
    }

    /// Marks credits as claimed under another mechanism (`mechanism` names it and its reference):
    /// they stay the resident's, but never go into a lot. A credit already in a lot is refused.
    public func markClaimedElsewhere(_ ids: [Int64], mechanism: String, by actor: String) throws {
        guard !mechanism.isEmpty, mechanism.count <= 120 else {
            throw InclusionRefusal.invalid(field: "mechanism", value: mechanism, reason: "must be 1 to 120 characters")
        }
        try database.write { db in
            for id in ids {
                try db.execute(sql: "UPDATE inclusion_event SET claimed_elsewhere = ? WHERE id = ? AND lot IS NULL AND claimed_elsewhere IS NULL",
                               arguments: [mechanism, id])
                guard db.changesCount == 1 else { throw InclusionRefusal.lotClaimedTwice(credit: id) }
            }
            try AuditTrail.append(db, actor: actor, action: "inclusion.claimed_elsewhere", entity: "inclusion_event", entityID: nil,
                                  after: .object([("mechanism", .string(mechanism)), ("credits", .array(ids.map { .integer(Int($0)) }))]))
        }
    }

    public func lot(_ id: String) throws -> StoredLot? {
        try database.read { db in try SQLRow.fetchOne(db, sql: "SELECT * FROM inclusion_lot WHERE id = ?", arguments: [id]).map(Self.lot) }
    }

    public func all() throws -> [StoredLot] {
        try database.read { db in try SQLRow.fetchAll(db, sql: "SELECT * FROM inclusion_lot ORDER BY month, id").map(Self.lot) }
    }

    static func lot(_ row: SQLRow) -> StoredLot {
        StoredLot(id: row["id"], scheme: row["scheme"], month: row["month"], grams: Micro(millionths: row["grams_micro"]), tonnes: row["tonnes"],
                  credits: row["credits"], registryAccount: row["registry_account"], registryUnit: row["registry_unit"],
                  registrySequence: row["registry_sequence"], createdBy: row["created_by"], createdAt: row["created_at"])
    }
}
