import CarbonKit
import CarbonMarkets
import Foundation

/// A transfer as representatives handle it: one proposes, a second approves, and the registry
/// runs it at once (to a trusted or final account) or when its delay has passed. The ledger
/// checks everything again when it runs, so a request approved on Monday still cannot spend
/// units the account no longer holds on Tuesday.
public struct TransferRequest: Sendable, Equatable {
    public enum Status: String, Sendable, CaseIterable {
        /// Waiting for a second representative.
        case proposed
        /// Approved, waiting for its delay to pass.
        case scheduled
        case completed
        case rejected
        case withdrawn
        /// Approved, but the ledger refused it when it ran (the reason says why).
        case failed
    }

    public var id: Int64
    public var from: String
    public var to: String
    public var amount: Int64
    public var unit: String
    public var vintage: Int?
    public var purpose: Transfer.Purpose
    public var proposedBy: String
    public var proposedAt: Date
    public var status: Status
    public var approvedBy: String?
    public var approvedAt: Date?
    public var runsAt: Date?
    public var decidedBy: String?
    public var ledgerSequence: Int64?
    public var reason: String?

    /// The ledger's key for it: a request moves units at most once.
    public var reference: String { "request:\(id)" }
}

public struct TransferRequests: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    /// Records a proposal by an authorised representative of `from`.
    public func propose(from: String, to: String, amount: Int64, unit: String, vintage: Int? = nil,
                        purpose: Transfer.Purpose = .transfer, by login: String, at date: Date = Date()) throws -> TransferRequest {
        guard amount >= 1 else { throw LedgerError.invalidAmount(amount) }
        guard UnitName.isValid(unit) else { throw LedgerError.invalidUnit(unit) }
        if let vintage, !(1900...9999).contains(vintage) { throw LedgerError.invalidVintage(vintage) }
        let registry = AllowanceRegistry(database)
        guard let account = try registry.account(from) else { throw LedgerError.unknownAccount(from) }
        guard try registry.account(to) != nil else { throw LedgerError.unknownAccount(to) }
        guard let representative = account.representative(login) else { throw LedgerError.notRepresentative(login: login, account: from) }
        guard representative.role == .authorised else { throw LedgerError.proposerMayNotPropose(login: login) }
        guard from != to else { throw LedgerError.sameAccount(from) }
        let destination = try registry.account(to)!
        let rules = RegistryRules.standard
        try rules.checkDestination(purpose, to: destination)
        // A trusted-list entry still waiting for its working days counts: it will be active when the transfer runs.
        _ = try rules.earliestRun(purpose, from: account, to: destination, trusted: account.trusted.contains { $0.account == to },
                                  approvedAt: date, calendar: rules.calendar)
        let held = try registry.balances(of: from).filter { $0.unit == unit && (vintage == nil || $0.vintage == vintage) }.reduce(Int64(0)) { $0 + $1.units }
        guard held >= amount else { throw LedgerError.insufficientUnits(account: from, unit: unit, vintage: vintage, held: held, asked: amount) }
        let (kind, year) = Self.columns(purpose)
        return try database.write { db in
            let id: Int64 = try Int64.fetchOne(db, sql: """
                INSERT INTO transfer_request (from_account, to_account, amount, unit, vintage, purpose, compliance_year, proposed_by, proposed_at, status)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'proposed') RETURNING id
                """, arguments: [from, to, amount, unit, vintage.map { Int64($0) }, kind, year.map { Int64($0) }, login, Self.millis(date)]) ?? 0
            let request = try Self.request(id, db)!
            try AuditTrail.append(db, actor: login, action: "transfer.propose", entity: "transfer_request", entityID: String(id), after: Self.json(request))
            return request
        }
    }

    /// A second representative approves: the transfer runs now, or is scheduled for when its
    /// delay ends. The ledger's refusal (not trusted, too few units) leaves the request failed, with the reason.
    public func approve(_ id: Int64, by login: String, at date: Date = Date()) throws -> TransferRequest {
        try database.allowances.withLedger { cached in
            try database.write { db in
                guard var request = try Self.request(id, db) else { throw LedgerError.unknownAccount("request \(id)") }
                guard request.status == .proposed else { throw RequestError.notPending(id: id, status: request.status) }
                let account = try String.fetchOne(db, sql: "SELECT document FROM registry_account WHERE id = ?", arguments: [request.from])
                    .map(AllowanceRegistry.decode)
                guard let account, account.representative(login) != nil else { throw LedgerError.notRepresentative(login: login, account: request.from) }
                guard login != request.proposedBy else { throw LedgerError.approvalNeedsSecondRepresentative(login: login) }
                request.approvedBy = login
                request.approvedAt = date
                request.runsAt = try runsAt(request, account: account, db, at: date)
                request = try run(request, at: date, db, cached: &cached)
                try AuditTrail.append(db, actor: login, action: "transfer.approve", entity: "transfer_request", entityID: String(id), after: Self.json(request))
                return request
            }
        }
    }

    /// Runs every scheduled request whose delay has passed; the server calls it each minute.
    @discardableResult
    public func runDue(at date: Date = Date()) throws -> [TransferRequest] {
        try database.allowances.withLedger { cached in
            try database.write { db in
                let due = try Int64.fetchAll(db, sql: "SELECT id FROM transfer_request WHERE status = 'scheduled' AND runs_at <= ? ORDER BY runs_at, id",
                                             arguments: [Self.millis(date)])
                return try due.compactMap { id in
                    guard let request = try Self.request(id, db) else { return nil }
                    let done = try run(request, at: date, db, cached: &cached)
                    try AuditTrail.append(db, actor: "registry", action: "transfer.run", entity: "transfer_request", entityID: String(id), after: Self.json(done))
                    return done
                }
            }
        }
    }

    /// A representative of the sending account refuses a proposal, or its proposer withdraws it.
    public func decline(_ id: Int64, by login: String, at date: Date = Date()) throws -> TransferRequest {
        try database.write { db in
            guard var request = try Self.request(id, db) else { throw LedgerError.unknownAccount("request \(id)") }
            guard request.status == .proposed || request.status == .scheduled else { throw RequestError.notPending(id: id, status: request.status) }
            let account = try String.fetchOne(db, sql: "SELECT document FROM registry_account WHERE id = ?", arguments: [request.from]).map(AllowanceRegistry.decode)
            guard let account, account.representative(login) != nil else { throw LedgerError.notRepresentative(login: login, account: request.from) }
            request.status = login == request.proposedBy ? .withdrawn : .rejected
            request.decidedBy = login
            try db.execute(sql: "UPDATE transfer_request SET status = ?, decided_by = ? WHERE id = ?", arguments: [request.status.rawValue, login, id])
            try AuditTrail.append(db, actor: login, action: "transfer.\(request.status.rawValue)", entity: "transfer_request",
                                  entityID: String(id), after: Self.json(request))
            return request
        }
    }

    /// Requests of `account` (every account when nil), newest first.
    public func list(account: String? = nil, status: TransferRequest.Status? = nil, limit: Int = 100) throws -> [TransferRequest] {
        try database.read { db in
            var conditions: [String] = [], arguments: SQLArguments = []
            if let account { conditions.append("(from_account = ? OR to_account = ?)"); arguments += [account, account] }
            if let status { conditions.append("status = ?"); arguments += [status.rawValue] }
            let clause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            return try SQLRow.fetchAll(db, sql: "SELECT * FROM transfer_request\(clause) ORDER BY id DESC LIMIT ?",
                                       arguments: arguments + [max(1, min(limit, 1000))]).map(Self.request)
        }
    }

    public enum RequestError: Error, Sendable, Equatable, CustomStringConvertible {
        case notPending(id: Int64, status: TransferRequest.Status)
        public var description: String {
            switch self {
            case let .notPending(id, status): "request \(id) is \(status.rawValue): it cannot be \(status == .scheduled ? "approved again" : "approved or declined any more")"
            }
        }
    }

    // MARK: -

    /// When an approved request may run, by the ledger's own rules.
    private func runsAt(_ request: TransferRequest, account: RegistryAccount, _ db: any SQLConnection, at date: Date) throws -> Date {
        guard let to = try String.fetchOne(db, sql: "SELECT document FROM registry_account WHERE id = ?", arguments: [request.to])
            .map(AllowanceRegistry.decode) else { throw LedgerError.unknownAccount(request.to) }
        let rules = RegistryRules.standard
        return try rules.earliestRun(request.purpose, from: account, to: to, trusted: account.trusts(request.to, at: date),
                                     approvedAt: date, calendar: rules.calendar)
    }

    private func run(_ request: TransferRequest, at date: Date, _ db: any SQLConnection, cached: inout AllowanceLedger?) throws -> TransferRequest {
        var request = request
        if let runsAt = request.runsAt, runsAt > date {
            request.status = .scheduled
        } else {
            let transfer = Transfer(from: request.from, to: request.to, amount: request.amount, unit: request.unit, vintage: request.vintage,
                                    purpose: request.purpose, proposedBy: request.proposedBy, approvedBy: request.approvedBy ?? "",
                                    approvedAt: request.approvedAt ?? date, reference: request.reference)
            switch try AllowanceRegistry.apply([.transfer(transfer)], at: date, db, cached: &cached)[0] {
            case let .success(entry): (request.status, request.ledgerSequence) = (.completed, entry.sequence)
            case let .failure(error): (request.status, request.reason) = (.failed, error.description)
            }
        }
        try db.execute(sql: """
            UPDATE transfer_request SET status = ?, approved_by = ?, approved_at = ?, runs_at = ?, ledger_sequence = ?, reason = ? WHERE id = ?
            """, arguments: [request.status.rawValue, request.approvedBy, request.approvedAt.map(Self.millis), request.runsAt.map(Self.millis),
                             request.ledgerSequence, request.reason, request.id])
        return request
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ millis: Int64?) -> Date? { millis.map { Date(timeIntervalSince1970: Double($0) / 1000) } }

    /// A purpose as stored and shown: its name, and a surrender's compliance year.
    public static func columns(_ purpose: Transfer.Purpose) -> (String, Int?) {
        switch purpose {
        case .transfer: ("transfer", nil)
        case let .surrender(year): ("surrender", year)
        case .cancellation: ("cancellation", nil)
        case .retirement: ("retirement", nil)
        }
    }

    private static func request(_ id: Int64, _ db: any SQLConnection) throws -> TransferRequest? {
        try SQLRow.fetchOne(db, sql: "SELECT * FROM transfer_request WHERE id = ?", arguments: [id]).map(request)
    }

    static func request(_ row: SQLRow) -> TransferRequest {
        let purpose: String = row["purpose"], year: Int64? = row["compliance_year"], vintage: Int64? = row["vintage"]
        let kind: Transfer.Purpose = switch purpose {
        case "surrender": .surrender(complianceYear: Int(year ?? 0))
        case "cancellation": .cancellation
        case "retirement": .retirement
        default: .transfer
        }
        let status: String = row["status"]
        return TransferRequest(id: row["id"], from: row["from_account"], to: row["to_account"], amount: row["amount"], unit: row["unit"],
                               vintage: vintage.map { Int($0) }, purpose: kind, proposedBy: row["proposed_by"],
                               proposedAt: date(row["proposed_at"])!, status: TransferRequest.Status(rawValue: status) ?? .failed,
                               approvedBy: row["approved_by"], approvedAt: date(row["approved_at"]), runsAt: date(row["runs_at"]),
                               decidedBy: row["decided_by"], ledgerSequence: row["ledger_sequence"], reason: row["reason"])
    }

    static func json(_ request: TransferRequest) -> JSONValue {
        let (purpose, year) = columns(request.purpose)
        return .object([("from", .string(request.from)), ("to", .string(request.to)), ("amount", .integer(Int(request.amount))),
                        ("unit", .string(request.unit)), ("vintage", request.vintage.map(JSONValue.integer) ?? .null),
                        ("purpose", .string(purpose)), ("compliance_year", year.map(JSONValue.integer) ?? .null),
                        ("status", .string(request.status.rawValue)), ("approved_by", request.approvedBy.map(JSONValue.string) ?? .null),
                        ("ledger_sequence", request.ledgerSequence.map { .integer(Int($0)) } ?? .null),
                        ("reason", request.reason.map(JSONValue.string) ?? .null)])
    }
}
