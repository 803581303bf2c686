import CarbonKit
import CarbonMarkets
import CityCarbonPages
import CityCarbonStore
import Foundation
import Hummingbird

/// Key emitters' disclosure for the public (`/disclosure`): listed and state-owned enterprises
/// first, as they must, then those that choose to; each with its verified emissions, allocation,
/// settled compliance code and carbon-efficiency grade by year. Also as open data:
/// `/api/v1/disclosure` (JSON) and `/api/v1/disclosure.csv`. Everything comes from
/// ``CarbonAccounts/disclosures(on:only:)``, which shows only what the regulator accepted.
struct DisclosurePages: Sendable {
    let database: CityCarbonDatabase

    func addRoutes(to routes: RouteRegistrar) {
        routes.open(.get, "disclosure") { request, _ in
            let t = Localizer(Language.of(request))
            return Layout.response(ByteBuffer(string: overview(try CarbonAccounts(database).disclosures(on: Day.today), t).markup))
        }
        routes.open(.get, "disclosure/:code") { request, context in
            let code = try context.parameters.require("code")
            guard let disclosure = try CarbonAccounts(database).disclosures(on: Day.today, only: code).first else {
                throw ProblemDetails(.notFound, "no disclosing enterprise with the credit code \(code.prefix(40))")
            }
            return Layout.response(ByteBuffer(string: page(disclosure, Localizer(Language.of(request))).markup))
        }
        routes.open(.get, "api/v1/disclosure") { _, _ in
            let items = try CarbonAccounts(database).disclosures(on: Day.today).map(Self.json)
            return JSONValue.object([("items", .array(items))]).httpResponse()
        }
        routes.open(.get, "api/v1/disclosure.csv") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"disclosure.csv\""],
                     body: .init(byteBuffer: ByteBuffer(string: Self.csv(try CarbonAccounts(database).disclosures(on: Day.today)))))
        }
    }

    static let csvColumns = ["credit_code", "name", "industry", "jurisdiction", "listed", "state_owned", "year", "verified_t",
                             "allocation_t", "compliance_code", "shortfall_t", "grade", "grade_basis"]

    static func csv(_ disclosures: [CarbonAccounts.Disclosure]) -> String {
        var text = csvColumns.joined(separator: ",") + "\r\n"
        for disclosure in disclosures {
            let e = disclosure.enterprise
            for year in disclosure.years {
                let cells = [e.creditCode, e.name, e.industry, e.jurisdiction, e.listed ? "yes" : "no", e.stateOwned ? "yes" : "no", String(year.year),
                             year.verified.map { String(format: "%.3f", $0) } ?? "", year.allocation.map(String.init) ?? "",
                             year.complianceCode?.rawValue ?? "", year.shortfall.map { String(format: "%.0f", $0.rounded(.up)) } ?? "",
                             year.grade.map(String.init) ?? "", year.gradeBasis?.rawValue ?? ""]
                text += cells.map(CSVOutput.field).joined(separator: ",") + "\r\n"
            }
        }
        return text
    }

    static func json(_ disclosure: CarbonAccounts.Disclosure) -> JSONValue {
        let e = disclosure.enterprise
        return .object([
            ("creditCode", .string(e.creditCode)), ("name", .string(e.name)), ("industry", .string(e.industry)),
            ("jurisdiction", .string(e.jurisdiction)), ("listed", .bool(e.listed)), ("stateOwned", .bool(e.stateOwned)),
            ("years", .array(disclosure.years.map { year in
                .object([("year", .integer(year.year)), ("verifiedTonnes", year.verified.map(JSONValue.number) ?? .null),
                         ("allocationTonnes", year.allocation.map { .integer(Int($0)) } ?? .null),
                         ("complianceCode", year.complianceCode.map { .string($0.rawValue) } ?? .null),
                         ("shortfallTonnes", year.shortfall.map { .number($0.rounded(.up)) } ?? .null),
                         ("grade", year.grade.map(JSONValue.integer) ?? .null), ("gradeBasis", year.gradeBasis.map { .string($0.rawValue) } ?? .null)])
            })),
        ])
    }

    private func why(_ enterprise: Enterprise, _ t: Localizer) -> String {
        [enterprise.listed ? t("disclosure.listed") : nil, enterprise.stateOwned ? t("disclosure.stateOwned") : nil,
         enterprise.mustDisclose ? nil : t("disclosure.voluntary")].compactMap { $0 }.joined(separator: ", ")
    }

    func overview(_ disclosures: [CarbonAccounts.Disclosure], _ t: Localizer) -> HTML {
        var body: HTML = "<main id=\"main\"><p>\(t("disclosure.intro"))</p>"
        body += "<table id=\"disclosure\"><caption>\(t("disclosure.caption", ["count": String(disclosures.count)]))</caption><thead><tr>"
        // The figures follow the name, so that a phone shows them before it scrolls.
        body += Table.headings(["mrv.enterprise", "disclosure.latestVerified", "emitters.code", "emitters.grade", "mrv.industry",
                                "mrv.jurisdiction", "disclosure.why"], t) + "</tr></thead><tbody>"
        for disclosure in disclosures {
            let e = disclosure.enterprise
            let verified = disclosure.years.first { $0.verified != nil }
            let settled = disclosure.years.first { $0.complianceCode != nil }
            let graded = disclosure.years.first { $0.grade != nil }
            body += "<tr><td><a href=\"/disclosure/\(segment: e.creditCode)\">\(e.name)</a> <small>\(e.creditCode)</small></td>"
            let latestVerified: HTML = verified.map { "\(t.whole(Int64(($0.verified ?? 0).rounded()))) <small>(\($0.year))</small>" } ?? "—"
            let latestCode: HTML = settled.map { "\(t("emitters.code.\($0.complianceCode?.rawValue ?? "")")) <small>(\($0.year))</small>" } ?? "—"
            let latestGrade: HTML = graded.map { "<span class=\"badge g\($0.grade ?? 0)\">\($0.grade ?? 0)</span> <small>(\($0.year))</small>" } ?? "—"
            body += "<td class=\"n\">\(latestVerified)</td><td>\(latestCode)</td><td>\(latestGrade)</td>"
            body += "<td>\(e.industry)</td><td>\(e.jurisdiction)</td><td class=\"nowrap\">\(why(e, t))</td></tr>"
        }
        if disclosures.isEmpty { body += "<tr><td colspan=\"7\">\(t("mrv.none"))</td></tr>" }
        body += "</tbody></table><p>\(t.html("disclosure.download", ["csv": "<a href=\"/api/v1/disclosure.csv\">CSV</a>", "json": "<a href=\"/api/v1/disclosure\">JSON</a>"]))</p>"
        body += "<p><small>\(t("disclosure.gradeLegend"))</small></p><p><small>\(t("emitters.codes"))</small></p></main>"
        return Layout.page(t, title: t("disclosure.title"), body: body, query: [], footer: t("disclosure.footer"))
    }

    func page(_ disclosure: CarbonAccounts.Disclosure, _ t: Localizer) -> HTML {
        let e = disclosure.enterprise
        var body: HTML = "<main id=\"main\"><p>\(t("disclosure.enterprise.intro", ["code": e.creditCode, "industry": e.industry, "jurisdiction": e.jurisdiction, "why": why(e, t)]))</p>"
        body += "<table id=\"years\"><caption>\(t("disclosure.years"))</caption><thead><tr>"
        body += Table.headings(["mrv.year", "emitters.verified", "emitters.allocated", "emitters.code", "emitters.toSurrender", "emitters.grade"], t)
        body += "</tr></thead><tbody>"
        for year in disclosure.years {
            body += "<tr><td>\(year.year)</td><td class=\"n\">\(year.verified.map { t.whole(Int64($0.rounded())) } ?? "—")</td>"
            body += "<td class=\"n\">\(year.allocation.map { t.whole($0) } ?? "—")</td>"
            body += "<td>\(year.complianceCode.map { t("emitters.code.\($0.rawValue)") } ?? "—")</td>"
            body += "<td class=\"n\">\(year.shortfall.map { t.whole(Int64($0.rounded(.up))) } ?? "—")</td>"
            let grade: HTML = year.grade.map { "<span class=\"badge g\($0)\">\($0)</span> \(t("emitters.grade.\($0)"))" } ?? "—"
            let basis: HTML = year.gradeBasis.map { " <small>(\(t("emitters.basis.\($0.rawValue)")))</small>" } ?? ""
            body += "<td>\(grade)\(basis)</td></tr>"
        }
        if disclosure.years.isEmpty { body += "<tr><td colspan=\"6\">\(t("disclosure.nothingYet"))</td></tr>" }
        body += "</tbody></table><p><small>\(t("emitters.codes"))</small></p>"
        body += "<p><a href=\"/disclosure\">← \(t("disclosure.title"))</a></p></main>"
        return Layout.page(t, title: e.name, body: body, query: [], footer: t("disclosure.footer"))
    }
}
