import CarbonInclusion
import CarbonKit
import CarbonMarkets
import CityCarbonPages
import CityCarbonStore
import Foundation
import Hummingbird

/// The climate office's carbon-inclusion desk (`/staff/inclusion`): totals by behaviour, month
/// and district; what the fraud screen refused and held, by rule; partners and their scopes;
/// the redemption catalogue and merchants' settlement; lots and their issue into the registry;
/// the methodologies in force. District staff see the review queue (`/staff/inclusion/review`).
struct InclusionDesk: Sendable {
    let database: CityCarbonDatabase

    func addRoutes(to routes: RouteRegistrar) {
        routes.staff(.get, "staff/inclusion", .manageInclusion) { _, _, call in try page(call) }
        routes.staff(.post, "staff/inclusion/partners", .manageInclusion) { _, _, call in try registerPartner(call) }
        routes.staff(.post, "staff/inclusion/partners/:code/revoke", .manageInclusion) { _, context, call in
            let code = try context.parameters.decoded("code")
            guard try InclusionPartners(database).revoke(code, by: call.actor) else { throw ProblemDetails(.notFound, "no live partner \(code.prefix(40))") }
            return try page(call, notice: call.t("inclusion.partner.revoked", ["code": code]))
        }
        routes.staff(.post, "staff/inclusion/items", .manageInclusion) { _, _, call in try addItem(call) }
        routes.staff(.post, "staff/inclusion/lots", .manageInclusion) { _, _, call in
            let scheme = call.form["scheme"] ?? "city", month = call.form["month"] ?? ""
            do {
                let lot = try InclusionLots(database).build(scheme: scheme, month: month, by: call.actor)
                return try page(call, notice: call.t("inclusion.lot.built", ["id": lot.id, "credits": call.t.whole(lot.credits),
                                                                              "tonnes": call.t.whole(lot.tonnes)]))
            } catch let refusal as InclusionRefusal {
                return try page(call, notice: call.t("mrv.refused", ["reason": refusal.description]), status: .conflict)
            }
        }
        routes.staff(.post, "staff/inclusion/lots/:id/issue", .manageInclusion) { _, context, call in
            let id = try context.parameters.decoded("id"), account = call.form["account"] ?? ""
            guard try InclusionLots(database).lot(id) != nil else { throw ProblemDetails(.notFound, "no lot \(id.prefix(40))") }
            do {
                let entry = try InclusionLots(database).issue(id, into: account, by: call.actor)
                return try page(call, notice: call.t("inclusion.lot.issued", ["id": id, "tonnes": call.t.whole(entry.amount), "account": account]))
            } catch let refusal as LedgerError {
                return try page(call, notice: call.t("mrv.refused", ["reason": refusal.description]), status: .conflict)
            } catch let refusal as InclusionRefusal {
                return try page(call, notice: call.t("mrv.refused", ["reason": refusal.description]), status: .conflict)
            }
        }
        routes.staff(.get, "staff/inclusion/settlement.csv", .manageInclusion) { _, _, call in
            let month = try Self.month(call.form["month"])
            var text = "merchant,month,item,redemptions,points,face_value_cny\r\n"
            for line in try InclusionAccounts(database).settlement(month: month) {
                text += [line.merchant, line.month, line.item, String(line.redemptions), String(line.points), line.faceValueCNY.description]
                    .map(CSVOutput.field).joined(separator: ",") + "\r\n"
            }
            return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8",
                                                   .contentDisposition: "attachment; filename=\"settlement-\(month).csv\""],
                            body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        routes.staff(.get, "staff/inclusion/review", .reviewInclusion) { _, _, call in try review(call) }
        routes.staff(.post, "staff/inclusion/review/:id/release", .reviewInclusion) { _, context, call in
            try decide(call, id: try context.parameters.require("id", as: Int64.self), release: true)
        }
        routes.staff(.post, "staff/inclusion/review/:id/reject", .reviewInclusion) { _, context, call in
            try decide(call, id: try context.parameters.require("id", as: Int64.self), release: false)
        }
    }

    static func month(_ text: String?) throws -> String {
        guard let text, text.utf8.count == 7, Day(text + "-01") != nil else {
            throw InputErrors([InputIssue(InputLocation(field: "month"), value: String((text ?? "").prefix(16)), reason: "must be a month like 2026-03")])
        }
        return text
    }

    private func registerPartner(_ call: StaffCall) throws -> Response {
        let form = call.form
        let scenarios = form.fields["scenarios"] ?? []
        do {
            let made = try InclusionPartners(database).register(code: form["code"] ?? "", name: form["name"] ?? "", scheme: form["scheme"] ?? "city",
                                                                scenarios: scenarios, by: call.actor)
            return try page(call, notice: call.t("inclusion.partner.registered", ["code": made.partner.code, "signing": made.signingSecret,
                                                                                  "client": made.clientSecret]))
        } catch let errors as InputErrors {
            return try page(call, notice: errors.issues.map(\.description).joined(separator: "; "), status: .badRequest)
        }
    }

    private func addItem(_ call: StaffCall) throws -> Response {
        let form = call.form
        var issues: [InputIssue] = []
        func whole(_ field: String, optional: Bool) -> Int64? {
            let text = (form[field] ?? "").trimmingCharacters(in: .whitespaces)
            if text.isEmpty, optional { return nil }
            guard let value = Int64(text), value >= 0 else {
                issues.append(InputIssue(InputLocation(field: field), value: String(text.prefix(24)), reason: "must be a whole number from 0"))
                return nil
            }
            return value
        }
        let price = whole("price", optional: false), stock = whole("stock", optional: true), limit = whole("limit", optional: true)
        let face = Micro((form["face"] ?? "").trimmingCharacters(in: .whitespaces))
        if face == nil { issues.append(InputIssue(InputLocation(field: "face"), value: String((form["face"] ?? "").prefix(24)), reason: "must be yuan with at most six decimals")) }
        guard issues.isEmpty, let price, let face else { return try page(call, notice: issues.map(\.description).joined(separator: "; "), status: .badRequest) }
        let item = RedemptionItem(code: form["code"] ?? "", scheme: form["scheme"] ?? "city", merchant: form["merchant"] ?? "", name: form["name"] ?? "",
                                  pricePoints: price, faceValueCNY: face, stockPerMonth: stock, perAccountPerMonth: limit)
        do {
            try InclusionAccounts(database).addItem(item, by: call.actor)
            return try page(call, notice: call.t("inclusion.item.saved", ["code": item.code]))
        } catch let errors as InputErrors {
            return try page(call, notice: errors.issues.map(\.description).joined(separator: "; "), status: .badRequest)
        }
    }

    private func decide(_ call: StaffCall, id: Int64, release: Bool) throws -> Response {
        let accounts = InclusionAccounts(database)
        do {
            if release { try accounts.release(id, by: call.actor) } else { try accounts.reject(id, by: call.actor) }
            return try review(call, notice: call.t(release ? "inclusion.review.released" : "inclusion.review.rejected", ["id": String(id)]))
        } catch let refusal as InclusionRefusal {
            if case .unknownCredit = refusal { throw ProblemDetails(.notFound, refusal.description) }
            return try review(call, notice: call.t("mrv.refused", ["reason": refusal.description]), status: .conflict)
        }
    }

    private func review(_ call: StaffCall, notice: String? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
        let t = call.t, csrf = StaffLayout.csrfField(call)
        let held = try InclusionReads(database).held()
        var html: HTML = "<section><p>\(t("inclusion.review.intro"))</p>"
        html += "<table id=\"held\"><caption>\(t("inclusion.review.caption", ["count": String(held.count)]))</caption><thead><tr>"
        html += Table.headings(["inclusion.credit", "inclusion.partner", "inclusion.scenario", "inclusion.day", "inclusion.grams", "inclusion.points",
                                "inclusion.rule", "review.action"], t) + "</tr></thead><tbody>"
        for item in held {
            html += "<tr><td>\(item.id)</td><td>\(item.partner) <small>\(item.serial)</small></td><td>\(InclusionPages.scenarioName(t, item.scenario))</td>"
            html += "<td class=\"nowrap\">\(item.day)</td>"
            html += "<td class=\"n\">\(item.grams.description)</td><td class=\"n\">\(t.whole(item.points))</td>"
            // The screen's reason is written in English; other languages show the rule's own name.
            let reason: HTML = t.language == .en ? " <small>\(item.reason)</small>" : ""
            html += "<td>\(t("inclusion.rule.\(item.rule)"))\(reason)</td><td class=\"nowrap\">"
            html += "<form method=\"post\" action=\"/staff/inclusion/review/\(item.id)/release\" class=\"inline\">\(csrf)<button type=\"submit\">\(t("inclusion.review.release"))</button></form> "
            html += "<form method=\"post\" action=\"/staff/inclusion/review/\(item.id)/reject\" class=\"inline\">\(csrf)<button type=\"submit\" class=\"secondary\">\(t("inclusion.review.reject"))</button></form></td></tr>"
        }
        if held.isEmpty { html += "<tr><td colspan=\"8\">\(t("inclusion.review.empty"))</td></tr>" }
        html += "</tbody></table></section>"
        return StaffLayout.page(t, call, title: t("inclusion.review.title"), status: status, notice: notice, body: html)
    }

    private func page(_ call: StaffCall, notice: String? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
        let t = call.t, csrf = StaffLayout.csrfField(call)
        let reads = InclusionReads(database)
        let year = try reads.years().first ?? Day.today.year
        var html: HTML = "<section><p>\(t("inclusion.desk.intro"))</p><p><a href=\"/staff/inclusion/review\">\(t("inclusion.review.title"))</a>"
        html += " · <a href=\"/inclusion?year=\(year)\">\(t("inclusion.title"))</a></p></section>"
        // Totals, with the same definition as the public page.
        html += "<section><h2>\(t("inclusion.desk.totals", ["year": String(year)]))</h2>"
        for (grouping, caption, head) in [(InclusionReads.Grouping.behaviour, "inclusion.desk.byBehaviour", "inclusion.behaviour"),
                                           (.month, "inclusion.byMonth", "inclusion.month"), (.district, "inclusion.byDistrict", "inclusion.district")] {
            let rows = try reads.totals(by: grouping, year: year)
            html += "<table id=\"totals-\(grouping.rawValue)\"><caption>\(t(caption))</caption><thead><tr>"
            html += Table.headings([head, "inclusion.tonnes", "inclusion.credits", "inclusion.residents"], t) + "</tr></thead><tbody>"
            for row in rows {
                let label = grouping == .behaviour ? t("inclusion.behaviour.\(row.key)") : row.key.isEmpty ? t("inclusion.districtUnknown") : row.key
                html += "<tr><td>\(label)</td><td class=\"n\">\(InclusionPages.tonnes(t, row.tonnes))</td><td class=\"n\">\(t.whole(row.credits))</td>"
                html += "<td class=\"n\">\(t.whole(row.accounts))</td></tr>"
            }
            if rows.isEmpty { html += "<tr><td colspan=\"4\">\(t("mrv.none"))</td></tr>" }
            html += "</tbody></table>"
        }
        html += "</section>"
        // The fraud screen.
        let rules = try reads.decisionsByRule()
        html += "<section><h2>\(t("inclusion.desk.screen"))</h2><table id=\"rules\"><caption>\(t("inclusion.desk.rules"))</caption><thead><tr>"
        html += Table.headings(["inclusion.rule", "inclusion.decision", "inclusion.events"], t) + "</tr></thead><tbody>"
        for rule in rules {
            html += "<tr><td>\(t("inclusion.rule.\(rule.rule)")) <small><code>\(rule.rule)</code></small></td>"
            html += "<td>\(t("inclusion.decision.\(rule.decision)"))</td><td class=\"n\">\(t.whole(rule.events))</td></tr>"
        }
        if rules.isEmpty { html += "<tr><td colspan=\"3\">\(t("mrv.none"))</td></tr>" }
        html += "</tbody></table></section>"
        html += partners(call, csrf) + catalogue(call, csrf) + (try lots(call, csrf))
        html += "<section><h2>\(t("inclusion.methodologies"))</h2>\(InclusionPages.methodologyTable(t))</section>"
        return StaffLayout.page(t, call, title: t("inclusion.desk.title"), status: status, notice: notice, body: html)
    }

    private func partners(_ call: StaffCall, _ csrf: HTML) -> HTML {
        let t = call.t
        let partners = (try? InclusionPartners(database).all()) ?? []
        var html: HTML = "<section><h2>\(t("inclusion.partners"))</h2><table id=\"partners\"><caption>\(t("inclusion.partners.caption"))</caption><thead><tr>"
        html += Table.headings(["inclusion.partner", "inclusion.scheme", "inclusion.scope", "inclusion.status", "review.action"], t) + "</tr></thead><tbody>"
        for partner in partners {
            html += "<tr><td>\(partner.name) <small><code>\(partner.code)</code></small></td><td>\(partner.scheme)</td>"
            html += "<td><small>\(partner.scenarios.map { InclusionPages.scenarioName(t, $0) }.joined(separator: ", "))</small></td>"
            html += "<td>\(partner.revokedAt == nil ? t("inclusion.partner.live") : t("inclusion.partner.revokedOn", ["date": t.dateTime(partner.revokedAt!)]))</td><td>"
            if partner.revokedAt == nil {
                html += "<form method=\"post\" action=\"/staff/inclusion/partners/\(segment: partner.code)/revoke\" class=\"inline\">\(csrf)"
                html += "<button type=\"submit\" class=\"secondary\">\(t("inclusion.partner.revoke"))</button></form>"
            }
            html += "</td></tr>"
        }
        if partners.isEmpty { html += "<tr><td colspan=\"5\">\(t("mrv.none"))</td></tr>" }
        html += "</tbody></table>"
        let scheme = MethodologyCatalogue.shipped.scheme("city")!
        html += "<form method=\"post\" action=\"/staff/inclusion/partners\" class=\"stacked\">\(csrf)<fieldset><legend>\(t("inclusion.partner.register"))</legend>"
        html += "<label>\(t("inclusion.partner.code")) <input name=\"code\" required maxlength=\"32\" pattern=\"[a-z0-9-]{2,32}|Self\"></label>"
        html += "<label>\(t("inclusion.partner.name")) <input name=\"name\" required maxlength=\"120\"></label>"
        html += "<input type=\"hidden\" name=\"scheme\" value=\"city\"><p>\(t("inclusion.scope"))</p><div class=\"choices\">"
        for scenario in scheme.scenarios.keys.sorted() {
            html += "<label><input type=\"checkbox\" name=\"scenarios\" value=\"\(scenario)\"> \(InclusionPages.scenarioName(t, scenario)) <code>\(scenario)</code></label> "
        }
        html += "</div><button type=\"submit\">\(t("inclusion.partner.register"))</button></fieldset></form></section>"
        return html
    }

    private func catalogue(_ call: StaffCall, _ csrf: HTML) -> HTML {
        let t = call.t
        let items = (try? InclusionAccounts(database).items()) ?? []
        var html: HTML = "<section><h2>\(t("inclusion.catalogue"))</h2><table id=\"catalogue\"><caption>\(t("inclusion.catalogue.caption"))</caption><thead><tr>"
        html += Table.headings(["inclusion.item", "inclusion.merchant", "inclusion.price", "inclusion.face", "inclusion.stock", "inclusion.limit"], t)
        html += "</tr></thead><tbody>"
        for item in items {
            html += "<tr><td>\(item.name) <small><code>\(item.code)</code></small></td><td>\(item.merchant)</td><td class=\"n\">\(t.whole(item.pricePoints))</td>"
            html += "<td class=\"n\">\(item.faceValueCNY.description)</td><td class=\"n\">\(item.stockPerMonth.map { t.whole($0) } ?? "—")</td>"
            html += "<td class=\"n\">\(item.perAccountPerMonth.map { t.whole($0) } ?? "—")</td></tr>"
        }
        if items.isEmpty { html += "<tr><td colspan=\"6\">\(t("mrv.none"))</td></tr>" }
        html += "</tbody></table>"
        html += "<form method=\"post\" action=\"/staff/inclusion/items\" class=\"stacked\">\(csrf)<fieldset><legend>\(t("inclusion.item.add"))</legend>"
        html += "<input type=\"hidden\" name=\"scheme\" value=\"city\">"
        for (name, key, extra) in [("code", "inclusion.item.code", "required maxlength=\"64\""), ("name", "inclusion.item", "required maxlength=\"120\""),
                                   ("merchant", "inclusion.merchant", "required maxlength=\"120\""), ("price", "inclusion.price", "required inputmode=\"numeric\""),
                                   ("face", "inclusion.face", "required inputmode=\"decimal\""), ("stock", "inclusion.stock", "inputmode=\"numeric\""),
                                   ("limit", "inclusion.limit", "inputmode=\"numeric\"")] {
            html += "<label>\(t(key)) <input name=\"\(name)\" \(HTML(verbatim: extra))></label>"
        }
        html += "<button type=\"submit\">\(t("inclusion.item.add"))</button></fieldset></form>"
        let month = String(Day.today.description.prefix(7))
        html += "<p><a href=\"/staff/inclusion/settlement.csv?month=\(month)\" download>\(t("inclusion.settlement", ["month": month]))</a></p></section>"
        return html
    }

    private func lots(_ call: StaffCall, _ csrf: HTML) throws -> HTML {
        let t = call.t
        let lots = try InclusionLots(database).all()
        var html: HTML = "<section><h2>\(t("inclusion.lots"))</h2><p>\(t("inclusion.lots.intro"))</p><table id=\"lots\"><caption>\(t("inclusion.lots.caption"))</caption><thead><tr>"
        html += Table.headings(["inclusion.lot", "inclusion.month", "inclusion.credits", "inclusion.tonnes", "inclusion.lot.registry", "review.action"], t)
        html += "</tr></thead><tbody>"
        for lot in lots {
            html += "<tr><td><code>\(lot.id)</code></td><td>\(lot.month)</td><td class=\"n\">\(t.whole(lot.credits))</td>"
            html += "<td class=\"n\">\(InclusionPages.tonnes(t, lot.grams.double / 1_000_000)) <small>(\(t("inclusion.lot.whole", ["tonnes": t.whole(lot.tonnes)])))</small></td>"
            if let account = lot.registryAccount {
                html += "<td>\(t("inclusion.lot.issuedInto", ["account": account, "unit": lot.registryUnit ?? ""]))</td><td></td></tr>"
            } else if lot.tonnes < 1 {
                html += "<td>—</td><td>\(t("inclusion.lot.underATonne"))</td></tr>"
            } else {
                html += "<td>—</td><td><form method=\"post\" action=\"/staff/inclusion/lots/\(segment: lot.id)/issue\" class=\"inline\">\(csrf)"
                html += "<label>\(t("inclusion.lot.account")) <input name=\"account\" required maxlength=\"64\" size=\"12\"></label> "
                html += "<button type=\"submit\">\(t("inclusion.lot.issue"))</button></form></td></tr>"
            }
        }
        if lots.isEmpty { html += "<tr><td colspan=\"6\">\(t("mrv.none"))</td></tr>" }
        html += "</tbody></table>"
        let last = Day.today.adding(days: -Day.today.day)
        html += "<form method=\"post\" action=\"/staff/inclusion/lots\" class=\"inline\">\(csrf)<input type=\"hidden\" name=\"scheme\" value=\"city\">"
        html += "<label>\(t("inclusion.month")) <input name=\"month\" required pattern=\"[0-9]{4}-[0-9]{2}\" value=\"\(String(last.description.prefix(7)))\" size=\"8\"></label> "
        html += "<button type=\"submit\">\(t("inclusion.lot.build"))</button></form></section>"
        return html
    }
}
