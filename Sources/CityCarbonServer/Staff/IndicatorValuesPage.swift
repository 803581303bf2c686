import CityCarbonPages
import CarbonKit
import CityCarbonStore
import ClimatePlans
import Foundation
import Hummingbird

/// The organisations that own indicators enter their values here: each value is a draft the
/// climate office sees on the staff home and publishes (its review), as with
/// `citycarbon indicator values`. Computed indicators are not entered.
struct IndicatorValuesPage: Sendable {
    let database: CityCarbonDatabase

    func addRoutes(to routes: RouteRegistrar) {
        routes.staff(.get, "staff/indicators", .editPlans) { _, _, call in try render(call) }
        routes.staff(.post, "staff/indicators/:indicator/values", .editPlans) { _, context, call in
            let identifier = try context.parameters.decoded("indicator")
            var issues: [InputIssue] = []
            var year = 0, value = 0.0
            do throws(InputIssue) {
                year = try InputNumber.integer(call.form["year"] ?? "", field: "year", in: 1850...Day.today.year)
            } catch { issues.append(error) }
            do throws(InputIssue) {
                value = try InputNumber.decimal(call.form["value"] ?? "", field: "value")
            } catch { issues.append(error) }
            let source = (call.form["source"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            if source.isEmpty { issues.append(InputIssue(InputLocation(field: "source"), reason: "is required: where the value comes from")) }
            if source.count > 200 { issues.append(InputIssue(InputLocation(field: "source"), value: String(source.prefix(40)), reason: "must be at most 200 characters")) }
            if !issues.isEmpty { throw InputErrors(issues) }
            try IndicatorRepository(database).enterValue(identifier, IndicatorValue(year: year, value: value, source: source), by: call.principal)
            return try render(call, notice: call.t("indicatorValues.saved", ["indicator": identifier, "year": String(year)]))
        }
    }

    func render(_ call: StaffCall, notice: String? = nil) throws -> Response {
        let t = call.t, principal = call.principal
        let lang = t.language.rawValue
        let entries = try IndicatorRepository(database).all(edition: .current).filter { entry in
            if case .inventory = entry.indicator.source { return false }
            return principal.role == .admin || (entry.indicator.owner != nil && entry.indicator.owner == principal.organisation)
        }
        let unpublished = Set(try IndicatorRepository(database).unpublished())
        var html: HTML = notice.map { "<p class=\"notice\" role=\"status\">\($0)</p>" } ?? ""
        html += "<section><p>\(t("indicatorValues.help"))</p>"
        if entries.isEmpty { html += "<p id=\"no-indicators\">\(t("indicatorValues.none", ["organisation": principal.organisation ?? "—"]))</p>" }
        html += "<table id=\"indicator-values\"><thead><tr>"
        html += Table.headings(["indicators.name", "indicators.unit", "indicators.latest", "indicatorValues.state", "indicatorValues.enter"], t)
        html += "</tr></thead><tbody>"
        let csrf = StaffLayout.csrfField(call)
        for entry in entries {
            let i = entry.indicator, id = i.identifier
            let latest = i.series().last.map { "\(IndicatorCatalogue.format($0.value, t)) (\($0.year))" } ?? "—"
            let state = unpublished.contains(i.identifier) ? t("indicatorValues.draft") : t("indicatorValues.published")
            html += """
                <tr data-indicator="\(id)"><th scope="row">\(i.name.text(lang))</th><td>\(call.t.unit(i.unit))</td>\
                <td class="n">\(latest)</td><td>\(state)</td><td>\
                <form class="inline" method="post" action="/staff/indicators/\(segment: id)/values">\(csrf)\
                <label>\(t("indicatorValues.year")) <input name="year" inputmode="numeric" size="5" required></label> \
                <label>\(t("indicatorValues.value")) <input name="value" inputmode="decimal" size="8" required></label> \
                <label>\(t("indicatorValues.source")) <input name="source" size="16" maxlength="200" required></label> \
                <button type="submit">\(t("indicatorValues.save"))</button></form></td></tr>
                """
        }
        html += "</tbody></table></section>"
        return StaffLayout.page(t, call, title: t("indicatorValues.title"), body: html)
    }
}
