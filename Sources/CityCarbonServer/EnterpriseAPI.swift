import CarbonKit
import CarbonMarkets
import CityCarbonStore
import Foundation
import Hummingbird

/// Key emitters' systems talk to the MRV desk with an API key: an enterprise's key (role
/// reporter, organisation its credit code) deposits months of evidence in bulk, as CSV or XLSX,
/// and reads where its report stands; the office's key may do both for any enterprise. Each
/// deposit is audited under the key's name.
struct EnterpriseAPI: Sendable {
    let database: CityCarbonDatabase

    func addRoutes(to routes: RouteRegistrar) {
        routes.client(.post, "api/v1/evidence", .depositEvidence) { request, _, principal in
            let file = request.uri.queryParameters.get("file").map { String($0) } ?? "api-evidence.csv"
            let body = try await FormData.body(of: request, limit: BodyLimit.upload)
            guard body.readableBytes > 0 else {
                throw InputErrors([InputIssue(InputLocation(field: "body"), reason: "is empty",
                                              suggestion: "send evidence.csv (text/csv) or a workbook (.xlsx) as the request body")])
            }
            let allowed: Set<String>? = principal.may(.manageRegistry) ? nil : Set([principal.organisation].compactMap { $0 })
            do {
                let months = try EmissionReports(database).depositSheet([UInt8](body.readableBytesView), file: file, enterprises: allowed,
                                                                        by: principal.actor)
                return JSONValue.object([("file", .string(file)), ("months", .integer(months))]).httpResponse(status: .created)
            } catch let refusal as EmissionReports.Refusal {
                throw ProblemDetails(.conflict, refusal.description)
            }
        }
        routes.client(.get, "api/v1/reports/:code/:year", .handleReports) { _, context, principal in
            let code = try context.parameters.require("code")
            let year = try context.parameters.require("year", as: Int.self)
            guard (2000...2100).contains(year), try EnterpriseRepository(database).all().contains(where: { $0.creditCode == code }) else {
                throw ProblemDetails(.notFound, "no report of \(code.prefix(40)) for \(year)")
            }
            let reports = EmissionReports(database)
            guard try reports.party(of: principal, enterprise: code, year: year) != nil else {
                throw ProblemDetails(.forbidden, "the key \(principal.actor) has no part in this report")
            }
            let current = try reports.reportCase(code, year: year)
            let draft = try reports.draft(code, year: year)
            let submitted = try current.flatMap { try reports.version(code, year: year, version: $0.version) }
            let report = submitted?.report ?? draft.report
            let checks = submitted?.checks ?? draft.checks
            return JSONValue.object([
                ("enterprise", .string(code)), ("year", .integer(year)), ("status", .string((current?.status ?? .draft).rawValue)),
                ("version", .integer(current?.version ?? 0)), ("monthsDeposited", .integer(draft.months.count)),
                ("totalTonnes", .number(report.total)), ("directTonnes", .number(report.direct)), ("indirectTonnes", .number(report.indirectTonnes)),
                ("verifiedTonnes", try reports.verifiedEmissions(code, year: year).map(JSONValue.number) ?? .null),
                ("lines", .array(report.lines.map { line in
                    .object([("line", .string(line.key)), ("kind", .string(line.kind.rawValue)), ("activity", .number(line.activity)),
                             ("unit", .string(line.unit)), ("tonnes", .number(line.tonnes)), ("conservativeSurchargeTonnes", .number(line.conservativeSurcharge)),
                             ("monthsReported", .integer(line.monthsReported))])
                })),
                ("checks", .array(checks.map { check in
                    .object([("severity", .string(check.severity.rawValue)), ("code", .string(check.code)), ("subject", .string(check.subject)),
                             ("month", check.month.map(JSONValue.integer) ?? .null)])
                })),
            ]).httpResponse()
        }
    }
}
