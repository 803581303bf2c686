import CarbonAccounting
import CarbonKit
import Foundation
import GRDB

/// Which inventory years the public may see. Public pages and the public API show a year
/// only once it is published; withdrawing hides it again without deleting anything.
public struct PublicationRepository: Sendable {
    let database: CityCarbonDatabase

    public init(_ database: CityCarbonDatabase) { self.database = database }

    /// Publishes the latest computed inventory of `year`; a year never computed cannot be published.
    public func publish(year: Int, by actor: String) throws {
        try database.writer.write { db in
            let computed = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inventory WHERE year = ?", arguments: [year]) ?? 0
            guard computed > 0 else {
                throw InputErrors([InputIssue(InputLocation(field: "year"), value: String(year), reason: "has no computed inventory to publish",
                                              suggestion: "compute it first: citycarbon inventory compute --year \(year)")])
            }
            let previous = try Row.fetchOne(db, sql: "SELECT published_at, published_by FROM inventory_publication WHERE year = ?", arguments: [year])
            let at = CityCarbonDatabase.now()
            try db.execute(sql: "INSERT OR REPLACE INTO inventory_publication (year, published_at, published_by) VALUES (?, ?, ?)",
                           arguments: [year, at, actor])
            try AuditTrail.append(db, actor: actor, action: "publish", entity: "publication", entityID: String(year),
                                  before: .object([("published", .bool(previous != nil))]),
                                  after: .object([("published", .bool(true)), ("published_at", .string(at))]))
        }
    }

    /// Withdraws `year` from public view; returns false when it was not published.
    @discardableResult
    public func withdraw(year: Int, by actor: String = "system") throws -> Bool {
        try database.writer.write { db in
            try db.execute(sql: "DELETE FROM inventory_publication WHERE year = ?", arguments: [year])
            guard db.changesCount > 0 else { return false }
            try AuditTrail.append(db, actor: actor, action: "withdraw", entity: "publication", entityID: String(year),
                                  before: .object([("published", .bool(true))]), after: .object([("published", .bool(false))]))
            return true
        }
    }

    public func publishedYears() throws -> [Int] {
        try database.writer.read { db in try Int.fetchAll(db, sql: "SELECT year FROM inventory_publication ORDER BY year") }
    }

    public func isPublished(_ year: Int) throws -> Bool {
        try database.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inventory_publication WHERE year = ?", arguments: [year]) ?? 0 > 0
        }
    }
}
