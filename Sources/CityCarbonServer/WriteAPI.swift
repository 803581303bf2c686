import CityCarbonPages
import CarbonAccounting
import CarbonKit
import CityCarbonStore
import Foundation
import Hummingbird

/// Writes through the open API for integration clients with an API key: activity CSVs,
/// recomputing a year, publishing and withdrawing. Each is audited under the key's name.
struct WriteAPI: Sendable {
    let database: CityCarbonDatabase
    /// Signs the audit head after each publication, when the server was given a key.
    var auditKey: AuditKey?

    func addRoutes(to routes: RouteRegistrar) {
        routes.client(.post, "api/v1/activities", .importActivities) { request, _, principal in
            let existing = try Self.existing(request.uri.queryParameters.get("existing").map { String($0) })
            let file = request.uri.queryParameters.get("file").map { String($0) } ?? "api-upload.csv"
            let body = try await FormData.body(of: request, limit: BodyLimit.upload)
            guard body.readableBytes > 0 else {
                throw InputErrors([InputIssue(InputLocation(field: "body"), reason: "is empty", suggestion: "send the activity CSV as the request body (text/csv)")])
            }
            let summary = try ActivityRepository(database).importCSV([UInt8](body.readableBytesView), file: file, existing: existing,
                                                                      actor: principal.actor, writer: principal)
            return JSONValue.object([("file", .string(summary.file)), ("rows", .integer(summary.rows)),
                                     ("years", .array(summary.years.map(JSONValue.integer))), ("replaced_rows", .integer(summary.replacedRows)),
                                     ("created_jurisdictions", .array(summary.createdJurisdictions.map(JSONValue.string)))]).httpResponse(status: .created)
        }
        // The city's statistics (a statistics CSV) and boundaries (a GeoJSON FeatureCollection), all or none.
        routes.client(.post, "api/v1/statistics", .importStatistics) { request, _, principal in
            let file = request.uri.queryParameters.get("file").map { String($0) } ?? "api-statistics.csv"
            let body = try await FormData.body(of: request, limit: BodyLimit.upload)
            let rows = try StatisticsRepository(database).importCSV([UInt8](body.readableBytesView), file: file, actor: principal.actor)
            return JSONValue.object([("file", .string(file)), ("rows", .integer(rows)),
                                     ("unpublished", .integer(try StatisticsRepository(database).unpublishedChanges()))]).httpResponse(status: .created)
        }
        routes.client(.post, "api/v1/boundaries", .importStatistics) { request, _, principal in
            let file = request.uri.queryParameters.get("file").map { String($0) } ?? "api-boundaries.geojson"
            let body = try await FormData.body(of: request, limit: BodyLimit.upload)
            let features = try BoundaryRepository(database).importGeoJSON([UInt8](body.readableBytesView), file: file, actor: principal.actor)
            return JSONValue.object([("file", .string(file)), ("features", .integer(features))]).httpResponse(status: .created)
        }
        routes.client(.post, "api/v1/inventories/:year/computation", .computeInventories) { request, context, principal in
            let year = try context.parameters.require("year", as: Int.self)
            guard try ActivityRepository(database).years().contains(year) else {
                throw ProblemDetails(.notFound, "the workspace has no activity data for \(year); import some first (POST /api/v1/activities)")
            }
            let inventory = try InventoryRepository(database).compute(year: year, gwp: request.uri.queryParameters.get("gwp").map { String($0) },
                                                                      as: principal)
            let totals = inventory.totals(year: year)
            return JSONValue.object([("year", .integer(year)), ("gwp", .string(inventory.gwp)), ("basic_t", .number(totals.basic)),
                                     ("basic_plus_t", .number(totals.basicPlus)), ("territorial_t", .number(totals.territorial)),
                                     ("input_fingerprint", .string(inventory.provenance.inputFingerprint))]).httpResponse(status: .created)
        }
        routes.client(.put, "api/v1/inventories/:year/publication", .publish) { _, context, principal in
            let year = try context.parameters.require("year", as: Int.self)
            guard try InventoryRepository(database).latestID(year: year) != nil else {
                throw ProblemDetails(.conflict, "\(year) has no computed inventory to publish; compute it first (POST /api/v1/inventories/\(year)/computation)")
            }
            try PublicationRepository(database).publish(year: year, by: principal.actor, key: auditKey)
            return try Self.publication(database, year: year)
        }
        routes.client(.delete, "api/v1/inventories/:year/publication", .publish) { _, context, principal in
            let year = try context.parameters.require("year", as: Int.self)
            guard try PublicationRepository(database).withdraw(year: year, by: principal.actor) else {
                throw ProblemDetails(.notFound, "\(year) is not published")
            }
            return try Self.publication(database, year: year)
        }
    }

    static func existing(_ value: String?) throws -> ExistingActivities {
        switch value ?? "refuse" {
        case "refuse": .refuse
        case "replace": .replace
        case "append": .append
        case let other: throw InputErrors([InputIssue(InputLocation(field: "existing"), value: other, reason: "unknown choice", suggestion: "refuse, replace or append")])
        }
    }

    static func publication(_ database: CityCarbonDatabase, year: Int) throws -> Response {
        let status = try PublicationRepository(database).status().first { $0.year == year }
        return JSONValue.object([("year", .integer(year)), ("published", .bool(status?.isPublished ?? false)),
                                 ("published_at", status?.publishedAt.map(JSONValue.string) ?? .null),
                                 ("published_by", status?.publishedBy.map(JSONValue.string) ?? .null)]).httpResponse()
    }
}
