import CityCarbonPages
import CarbonKit
import CityCarbonStore
import Foundation
import Hummingbird

/// The audit chain's head for anyone to keep: `/api/v1/audit/head` answers the last event and
/// its hash, signed by the server's audit key when it has one, with the key's public half.
/// A saved answer is a checkpoint `citycarbon audit verify --checkpoints FILE` checks the chain against.
struct AuditAPI: Sendable {
    let database: CityCarbonDatabase
    let key: AuditKey?

    func addRoutes(to routes: RouteRegistrar) {
        routes.open(.get, "api/v1/audit/head") { _, _ in
            let trail = AuditTrail(database)
            let head = try trail.head()
            // Signed now when the server holds the key; else the latest checkpoint kept, if any.
            let kept = try trail.checkpoints().last
            let checkpoint = key.map { $0.sign(event: head.event, hash: head.hash, at: CityCarbonDatabase.now()) } ?? kept
            return JSONValue.object([("event", .integer(Int(head.event))), ("hash", .string(head.hash)),
                                     ("public_key", key.map { .string($0.publicKeyHex) } ?? .null),
                                     ("checkpoint", checkpoint?.json ?? .null)]).httpResponse()
        }
    }
}
