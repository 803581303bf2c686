import CityCarbonPages
import CarbonAccounting
import CarbonKit
import CityCarbonStore
import Foundation
import Hummingbird

/// An editor loads an activity CSV in the browser: the same validation as
/// `citycarbon import activities`, shown as a table of errors, or a preview of the inventory
/// the file would give, which the editor then commits. Committing stores the rows and
/// recomputes their years as drafts; publishing stays with an admin.
struct UploadPage: Sendable {
    let database: CityCarbonDatabase
    let staged: StagedImports

    func addRoutes(to routes: RouteRegistrar) {
        routes.staff(.get, "staff/upload", .importActivities) { _, _, call in
            StaffLayout.page(call.t, call, title: call.t("upload.title"), body: form(call))
        }
        routes.staff(.post, "staff/upload", .importActivities, bodyLimit: BodyLimit.upload) { _, _, call in try upload(call) }
        routes.staff(.post, "staff/upload/:id/commit", .importActivities) { _, context, call in
            let id = try context.parameters.decoded("id")
            guard let upload = staged.take(id, owner: call.actor) else {
                return StaffLayout.page(call.t, call, title: call.t("upload.expired.title"), status: .gone,
                                        body: "<p class=\"problem\">\(call.t("upload.expired.text"))</p>" + form(call))
            }
            // The scope as it is now (the session reads the account afresh), not as it was at the preview.
            let summary = try ActivityRepository(database).store(upload.plan, existing: upload.existing, actor: call.actor, writer: call.principal)
            for year in summary.years {
                let gwp = try InventoryRepository(database).gwpName(year: year)
                _ = try InventoryRepository(database).compute(year: year, gwp: try GasCatalog.standard.gwpSet(gwp), actor: call.actor)
            }
            let years = summary.years.map(String.init).joined(separator: ", ")
            return StaffLayout.redirect("/staff?notice=imported&rows=\(summary.rows)&year=\(years.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? years)")
        }
    }

    func form(_ call: StaffCall, mode: String = "refuse") -> HTML {
        let t = call.t
        var html: HTML = "<section><form method=\"post\" action=\"/staff/upload\" enctype=\"multipart/form-data\">\(StaffLayout.csrfField(call))"
        html += "<label for=\"file\">\(t("upload.file"))</label><input id=\"file\" name=\"file\" type=\"file\" accept=\".csv,text/csv\" required>"
        html += "<label for=\"existing\">\(t("upload.existing"))</label><select id=\"existing\" name=\"existing\">"
        for option in ["refuse", "replace", "append"] {
            html += "<option value=\"\(option)\"\(option == mode ? " selected" : "")>\(t("upload.existing.\(option)"))</option>"
        }
        html += "</select><p><button type=\"submit\">\(t("upload.check"))</button></p></form>"
        if call.principal.role.isScoped {
            html += "<p>\(t("upload.scope", ["jurisdictions": call.principal.jurisdictions.joined(separator: ", ")]))</p>"
        }
        return html + "<p>\(t("upload.help"))</p></section>"
    }

    func upload(_ call: StaffCall) throws -> Response {
        let t = call.t
        let mode = call.form["existing"] ?? "refuse"
        guard let existing = ["refuse": ExistingActivities.refuse, "replace": .replace, "append": .append][mode] else {
            throw InputErrors([InputIssue(InputLocation(field: "existing"), value: mode, reason: "must be refuse, replace or append")])
        }
        guard let file = call.form.files["file"], !file.bytes.isEmpty else {
            throw InputErrors([InputIssue(InputLocation(field: "file"), reason: "no file was uploaded", suggestion: "choose a CSV file")])
        }
        let name = (file.filename as NSString).lastPathComponent
        let repository = ActivityRepository(database)
        let plan: ActivityImportPlan
        do {
            plan = try repository.validate(file.bytes, file: name, writer: call.principal)
        } catch let errors as InputErrors {
            return refused(call, file: name, issues: errors.issues, mode: mode)
        }
        let stored = try repository.existingRows(for: plan)
        if existing == .refuse, !stored.isEmpty {
            return refused(call, file: name, issues: stored.map {
                InputIssue(InputLocation(file: name, field: "jurisdiction"), value: "\($0.jurisdiction) \($0.year)",
                           reason: t("upload.clash", ["rows": String($0.rows)]), suggestion: t("upload.clash.hint"))
            }, mode: mode)
        }
        let gwpName = try plan.activities.years.first.map { try InventoryRepository(database).gwpName(year: $0) } ?? CitySettingsRepository(database).current().gwp
        let after = try repository.previewInventory(of: plan, existing: existing, gwp: try GasCatalog.standard.gwpSet(gwpName))
        let id = staged.stage(plan, existing: existing, owner: call.actor)
        return StaffLayout.page(t, call, title: t("upload.preview.title"), body: try preview(call, plan: plan, stored: stored, existing: existing, after: after, id: id))
    }

    func refused(_ call: StaffCall, file: String, issues: [InputIssue], mode: String) -> Response {
        let t = call.t
        let body = "<section><p class=\"problem\" role=\"alert\">\(t("upload.refused", ["file": file, "count": String(issues.count)]))</p>" +
            StaffLayout.issueTable(t, issues) + "</section>" + form(call, mode: mode)
        return StaffLayout.page(t, call, title: t("upload.refused.title"), status: .unprocessableContent, body: body)
    }

    func preview(_ call: StaffCall, plan: ActivityImportPlan, stored: [ExistingRows], existing: ExistingActivities, after: Inventory, id: String) throws -> HTML {
        let t = call.t
        let table = plan.activities.table
        var html: HTML = "<section><h2>\(plan.file)</h2><p id=\"upload-summary\">"
        html += HTML(text: t("upload.summary", ["rows": t.number(Double(table.count), decimals: 0),
                                                   "years": plan.activities.years.map(String.init).joined(separator: ", "),
                                                   "jurisdictions": String(table.jurisdictionNames.count)]))
        html += "</p>"
        if !stored.isEmpty {
            let verb = existing == .replace ? "upload.stored.replace" : "upload.stored.append"
            html += "<p>\(t(verb, ["pairs": stored.map { "\($0.jurisdiction) \($0.year) (\($0.rows))" }.joined(separator: "; ")]))</p>"
        }
        html += "</section>"
        let publication = try PublicationRepository(database)
        for year in plan.activities.years {
            let current = try InventoryRepository(database).latest(year: year)
            let publishedID = try publication.publishedInventoryID(year: year)
            let published = try publishedID.flatMap { try InventoryRepository(database).inventory(id: $0) }
            html += "<section><table class=\"preview\" data-year=\"\(year)\"><caption>\(t("upload.preview.caption", ["year": String(year)]))</caption><thead><tr>"
            html += Table.headings(["upload.col.sector", "upload.col.published", "upload.col.current", "upload.col.after", "upload.col.change"], t)
            html += "</tr></thead><tbody>"
            func kt(_ x: Double?) -> String { x.map { t.number($0 / 1000, decimals: 1) } ?? "—" }
            func row(_ label: String, _ p: Double?, _ c: Double?, _ a: Double, total: Bool = false) -> HTML {
                let change = c.map { a - $0 }
                let cls = total ? "n total" : "n"
                return "<tr><th scope=\"row\">\(label)</th><td class=\"\(cls)\">\(kt(p))</td><td class=\"\(cls)\">\(kt(c))</td>" +
                    "<td class=\"\(cls)\">\(kt(a))</td><td class=\"\(cls)\">\(change.map { ($0 > 0 ? "+" : "") + kt($0) } ?? "—")</td></tr>"
            }
            let afterSectors = after.bySector(year: year), currentSectors = current?.bySector(year: year), publishedSectors = published?.bySector(year: year)
            for sector in GPCTaxonomy.sectors where afterSectors[sector] != nil || currentSectors?[sector] != nil || publishedSectors?[sector] != nil {
                html += row("\(sector) \(t("sector.\(sector)"))", publishedSectors?[sector], currentSectors?[sector], afterSectors[sector] ?? 0)
            }
            html += row(t("upload.total.basic"), published?.totals(year: year).basic, current?.totals(year: year).basic, after.totals(year: year).basic, total: true)
            html += row(t("upload.total.basicplus"), published?.totals(year: year).basicPlus, current?.totals(year: year).basicPlus, after.totals(year: year).basicPlus, total: true)
            html += "</tbody></table><p>\(t("upload.unit"))</p></section>"
        }
        html += "<section><form method=\"post\" action=\"/staff/upload/\(id)/commit\">\(StaffLayout.csrfField(call))"
        html += "<p>\(t("upload.commit.text"))</p><p><button type=\"submit\" id=\"commit\">\(t("upload.commit"))</button> "
        html += "<a href=\"/staff/upload\">\(t("upload.cancel"))</a></p></form></section>"
        return html
    }
}
