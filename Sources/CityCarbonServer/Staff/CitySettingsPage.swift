import CityCarbonPages
import CarbonKit
import CityCarbonStore
import CityProgramme
import Foundation
import Hummingbird

/// The climate office's page for the city's settings: every key of ``CitySettings`` as a
/// field, saved all or none through ``CitySettingsRepository`` (audited), like
/// `citycarbon city set`.
struct CitySettingsPage: Sendable {
    let database: CityCarbonDatabase

    func addRoutes(to routes: RouteRegistrar) {
        routes.staff(.get, "staff/city", .manageSettings) { _, _, call in try render(call) }
        routes.staff(.post, "staff/city", .manageSettings) { _, _, call in
            let repository = CitySettingsRepository(database)
            let current = try repository.current()
            let now = Dictionary(current.lines.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            // Only what the form changed, so a field left as it was is never re-validated.
            var changes: [(key: String, value: String)] = []
            for key in Self.fields(current).map(\.key) {
                guard let value = call.form[key]?.trimmingCharacters(in: .whitespacesAndNewlines), value != (now[key] ?? "") else { continue }
                changes.append((key, value))
            }
            if let fuel = call.form["new_fuel"]?.trimmingCharacters(in: .whitespaces), !fuel.isEmpty {
                changes.append(("factor_set.\(fuel)", call.form["new_fuel_set"] ?? ""))
            }
            try repository.set(changes, actor: call.actor)
            return try render(call, notice: call.t(changes.isEmpty ? "city.unchanged" : "city.saved", ["count": String(changes.count)]))
        }
    }

    /// The form's fields: each setting's key, and the choices when it has a fixed list.
    static func fields(_ s: CitySettings) -> [(key: String, options: [String]?)] {
        [("name.en", nil), ("name.zh-Hans", nil), ("utc_offset", nil), ("currency", nil), ("price_base_year", nil), ("gwp", []),
         ("factor_set", [])] + s.factorSetByFuel.keys.sorted().map { ("factor_set.\($0)", []) }
            + [("grid_series", []), ("headline_level", HeadlineLevel.allCases.map(\.rawValue)),
               ("energy_method", JurisdictionStatistic.EnergyMethod.allCases.map(\.rawValue))]
    }

    func render(_ call: StaffCall, notice: String? = nil) throws -> Response {
        let t = call.t
        let repository = CitySettingsRepository(database)
        let settings = try repository.current(), choices = try repository.choices()
        let values = Dictionary(settings.lines.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        func select(_ id: String, _ name: String, _ options: [String], _ selected: String, blank: Bool = false, labelled: Bool = false,
                    aria: String? = nil) -> HTML {
            let choices = options.html { "<option value=\"\($0)\"\($0 == selected ? " selected" : "")>\(labelled ? t("city.option.\($0)") : $0)</option>" }
            let named: HTML? = aria.map { " aria-label=\"\($0)\"" }
            let empty: HTML? = blank ? "<option value=\"\"></option>" : nil
            return "<select\(named) id=\"\(id)\" name=\"\(name)\">\(empty)\(choices)</select>"
        }
        var html: HTML = notice.map { "<p class=\"notice\" role=\"status\">\($0)</p>" } ?? ""
        html += "<section><form method=\"post\" action=\"/staff/city\" id=\"city-settings\">\(StaffLayout.csrfField(call))<dl class=\"settings\">"
        for (i, field) in Self.fields(settings).enumerated() {
            let id = "setting-\(i)", value = values[field.key] ?? ""
            let label = field.key.hasPrefix("factor_set.") ? t("city.key.factor_set_fuel", ["fuel": String(field.key.dropFirst(11))]) : t("city.key.\(field.key)")
            var control: HTML
            switch field.key {
            case "gwp": control = select(id, field.key, choices.gwpSets, value)
            case "grid_series": control = select(id, field.key, choices.gridSeries, value)
            case let k where k.hasPrefix("factor_set"): control = select(id, field.key, choices.factorSets, value, blank: k != "factor_set")
            default:
                if let options = field.options, !options.isEmpty { control = select(id, field.key, options, value, labelled: true) } else {
                    control = "<input id=\"\(id)\" name=\"\(field.key)\" value=\"\(value)\" maxlength=\"200\">"
                }
            }
            html += "<dt><label for=\"\(id)\">\(label)</label></dt><dd>\(control) <code>\(field.key)</code></dd>"
        }
        let fuel = select("new-fuel", "new_fuel", choices.fuels, "", blank: true)
        let set = select("new-fuel-set", "new_fuel_set", choices.factorSets, "", blank: true, aria: t("city.newFuelSet"))
        html += "<dt><label for=\"new-fuel\">\(t("city.newFuel"))</label></dt><dd>\(fuel) \(set)</dd>"
        html += "</dl><p><button type=\"submit\">\(t("city.save"))</button></p></form><p>\(t("city.help"))</p></section>"
        return StaffLayout.page(t, call, title: t("city.title"), body: html)
    }
}
