import AirQuality
import CarbonKit
import CityCarbonPages
import CityCarbonStore
import Foundation
import Hummingbird

/// The air network's quality for the office: each sensor's hours in the last seven days, what its
/// checks flagged, the correction its values go through and its latest collocation; and the
/// collocations kept, with a form to fit a low-cost sensor against a reference monitor over chosen
/// days. A scoped account sees its own organisation's sensors.
struct AirQAPage: Sendable {
    let database: CityCarbonDatabase

    func addRoutes(to routes: RouteRegistrar) {
        routes.staff(.get, "staff/air", .signIn) { _, _, call in
            let notice = call.form["notice"].flatMap {
                ["collocated": "airqa.collocated", "calibrated": "airqa.calibrated", "alreadyCalibrated": "airqa.alreadyCalibrated"][$0]
            }
            return try render(call, notice: notice.map { call.t($0) })
        }
        // A fit becomes its sensor's calibration: the PM2.5 hours stored from then on go through it and name it.
        routes.staff(.post, "staff/air/collocations/:id/calibrate", .manageSettings) { _, context, call in
            do {
                guard let id = Int64(try context.parameters.require("id")) else {
                    throw InputErrors([InputIssue(InputLocation(field: "collocation"), value: context.parameters.get("id"), reason: "is not a number")])
                }
                let applied = try AirCollocations(database).apply(id, by: call.actor)
                return StaffLayout.redirect("/staff/air?notice=\(applied.changed ? "calibrated" : "alreadyCalibrated")#collocations")
            } catch let errors as InputErrors {
                return try render(call, status: .badRequest, problems: errors.issues, problemsTitle: "airqa.calibrateProblems")
            }
        }
        routes.staff(.post, "staff/air/collocations", .manageSettings) { _, _, call in
            let form = call.form
            do {
                let offset = Int64(try CitySettingsRepository(database).current().utcOffsetMinutes) * 60
                var issues: [InputIssue] = []
                func day(_ name: String) -> Int64? {
                    guard let text = form[name], let day = Day(text) else {
                        issues.append(InputIssue(InputLocation(field: name), value: form[name], reason: "is a day, YYYY-MM-DD")); return nil
                    }
                    return LocalDay.start(day, utcOffset: offset)
                }
                let from = day("from"), to = day("to")
                let parameter = AirParameter(rawValue: form["parameter"] ?? "")
                if parameter == nil { issues.append(InputIssue(InputLocation(field: "parameter"), value: form["parameter"], reason: "is pm25 or o3")) }
                if !issues.isEmpty { throw InputErrors(issues) }
                _ = try AirCollocations(database).run(sensor: form["sensor"] ?? "", reference: form["reference"] ?? "", parameter: parameter!,
                                                      from: from!, to: to! + 86_400, by: call.actor)
                return StaffLayout.redirect("/staff/air?notice=collocated#collocations")
            } catch let errors as InputErrors {
                return try render(call, status: .badRequest, problems: errors.issues)
            }
        }
    }

    func render(_ call: StaffCall, status: HTTPResponse.Status = .ok, notice: String? = nil, problems: [InputIssue] = [],
                problemsTitle: String = "airqa.problems") throws -> Response {
        let t = call.t
        let scope = call.principal.monitoringScope
        let now = Int64(Date().timeIntervalSince1970) / 3600 * 3600
        let statuses = try AirNetwork(database).status(since: now - 167 * 3600).filter { scope.allows(organisation: $0.sensor.owner, site: $0.sensor.code) }
        let visible = Set(statuses.map(\.sensor.code))
        let collocations = try AirCollocations(database).list().filter { visible.contains($0.sensor) }
        let sensors = Dictionary(statuses.map { ($0.sensor.code, $0.sensor) }, uniquingKeysWith: { a, _ in a })
        let latest = Dictionary(collocations.map { ($0.sensor, $0) }, uniquingKeysWith: { first, _ in first })
        let offset = try CitySettingsRepository(database).current().utcOffsetMinutes
        var body: HTML = "<p>\(t("airqa.intro"))</p><p><a href=\"/air\">\(t("air.title")) →</a></p>"
        // Three columns, each with its details under it, so a phone shows the week and the verdict without scrolling sideways.
        body += "<table id=\"qa\"><caption>\(t("airqa.caption"))</caption><thead><tr>"
        body += Table.headings(["air.sensor", "airqa.hours", "airqa.latestCollocation"], t) + "</tr></thead><tbody>"
        for status in statuses {
            let sensor = status.sensor
            let completeness = Double(status.hours) / 168 * 100
            let correction: HTML = sensor.grade == .reference ? "" : "<br><small>\(t("airqa.correction")): "
                + (sensor.correction.map { "<code>\($0)</code>" as HTML } ?? HTML(text: t("airqa.uncorrected"))) + "</small>"
            body += "<tr><td><a href=\"/air/sensors/\(Markup.percentEncoded(sensor.code))\">\(sensor.name)</a><br><small>"
            body += "\(t("air.grade.\(sensor.grade.rawValue)")) · <code>\(sensor.code)</code> · \(sensor.owner)</small>\(correction)</td>"
            body += "<td>\(t("airqa.hoursValue", ["hours": t.whole(Int64(status.hours)), "percent": t.number(completeness, decimals: 0)]))"
            if completeness < SensorQC.shipped.completeness_percent { body += " <strong class=\"warn\">\(t("airqa.incomplete"))</strong>" }
            body += "<br><small>\(t("airqa.flagged", ["n": t.whole(Int64(status.flagged))]))"
            if !status.flags.isEmpty { body += ": " + status.flags.keys.sorted().map { "\(t("air.flag.\($0)")) \(status.flags[$0]!)" }.joined(separator: " · ") }
            body += "</small><br><small>\(t("air.latest")): \(status.latest.map { AirFigures.localHour($0, offsetMinutes: offset) } ?? "—")</small></td>"
            let collocation = latest[sensor.code].map { verdict($0, t: t, offset: offset) } ?? HTML(text: sensor.grade == .reference ? "—" : t("airqa.never"))
            body += "<td>\(collocation)</td></tr>"
        }
        body += "</tbody></table>"
        body += "<h2 id=\"collocations\">\(t("airqa.collocations"))</h2><p>\(t("airqa.collocations.intro"))</p>"
        if call.principal.may(.manageSettings) { body += form(call, statuses.map(\.sensor), problems: problems, title: problemsTitle) }
        if collocations.isEmpty {
            body += "<p>\(t("airqa.none"))</p>"
        } else {
            body += "<table id=\"collocation-table\"><caption>\(t("airqa.collocations.caption"))</caption><thead><tr>"
            body += Table.headings(["airqa.pair", "airqa.fit", "airqa.verdict"], t) + "</tr></thead><tbody>"
            for record in collocations {
                body += "<tr><td><code>\(record.sensor)</code> → <code>\(record.reference)</code><br><small>\(t("air.pollutant.\(record.parameter.rawValue)")) · "
                body += "\(period(record, offset: offset))</small><br><small>\(t("airqa.pairs", ["n": t.whole(Int64(record.fit.pairs))])) · \(record.createdBy)</small></td>"
                let fit = t("airqa.fitValue", ["slope": t.number(record.fit.slope, decimals: 2), "intercept": t.number(record.fit.intercept, decimals: 1),
                                               "r2": t.number(record.fit.r2, decimals: 2), "rmse": t.number(record.fit.rmse, decimals: 1), "unit": record.unit])
                body += "<td>\(fit)</td><td>\(verdict(record, t: t, offset: nil))\(calibration(record, sensor: sensors[record.sensor], offset: offset, call: call))</td></tr>"
            }
            body += "</tbody></table>"
        }
        body += "<p class=\"note\">\(t("airqa.targets"))</p>"
        return StaffLayout.page(t, call, title: t("airqa.title"), status: status, notice: notice, body: body)
    }

    /// Whether the fit calibrates its sensor: in use, offered to an admin, or why it cannot.
    func calibration(_ record: AirCollocations.Record, sensor: AirSensor?, offset: Int, call: StaffCall) -> HTML {
        let t = call.t
        guard record.parameter == .pm25, let sensor, sensor.grade == .lowCost else { return "" }
        switch AirCollocations.calibration(record, utcOffsetMinutes: offset) {
        case .failure(let refusal):
            let key = switch refusal { case .parameter: "airqa.refusal.parameter"; case .slope: "airqa.refusal.slope"; case .linearity: "airqa.refusal.linearity" }
            return "<br><small>\(t("airqa.noCalibration")): \(t(key))</small>"
        case .success(let calibration):
            let formula = t("airqa.calibrationFormula", ["intercept": t.number(record.fit.intercept, decimals: 2), "slope": t.number(record.fit.slope, decimals: 3)])
            if sensor.correction == calibration.id { return "<br><small class=\"pass\">\(t("airqa.inUse")): \(formula)</small>" }
            guard call.principal.may(.manageSettings) else { return "" }
            return "<form method=\"post\" action=\"/staff/air/collocations/\(String(record.id))/calibrate\">\(StaffLayout.csrfField(call))"
                + "<button type=\"submit\" class=\"secondary\">\(t("airqa.calibrate", ["sensor": sensor.code]))</button><br><small>\(formula)</small></form>"
        }
    }

    /// Passes, or fails naming the metrics that miss their targets; with the day it was run when `offset` is given.
    func verdict(_ record: AirCollocations.Record, t: Localizer, offset: Int?) -> HTML {
        let failed = record.judgements.filter { !$0.passes }
        var out: HTML = record.passes ? "<span class=\"pass\">✓ \(t("airqa.passes"))</span>"
            : "<span class=\"fail\">✗ \(t("airqa.fails", ["metrics": failed.map { t("airqa.metric.\($0.metric)") }.joined(separator: ", ")]))</span>"
        if let offset { out += "<br><small>\(period(record, offset: offset)) · R² \(t.number(record.fit.r2, decimals: 2))</small>" }
        return out
    }

    /// The local days a collocation compared.
    func period(_ record: AirCollocations.Record, offset: Int) -> String { record.days(utcOffsetMinutes: offset) }

    func form(_ call: StaffCall, _ sensors: [AirSensor], problems: [InputIssue], title: String = "airqa.problems") -> HTML {
        let t = call.t, controls = FormControls(t: t), form = call.form
        let lowCost = sensors.filter { $0.grade == .lowCost }.map { ($0.code, "\($0.code) · \($0.name)") }
        let references = sensors.filter { $0.grade == .reference }.map { ($0.code, "\($0.code) · \($0.name)") }
        var out: HTML = ""
        if !problems.isEmpty {
            out += "<div class=\"problem\" role=\"alert\"><p>\(t(title))</p><ul>"
            out += problems.html { "<li><code>\($0.location.field ?? "")</code> \($0.value.map { "“\($0)” " } ?? "")\($0.reason)</li>" } + "</ul></div>"
        }
        out += "<form method=\"post\" action=\"/staff/air/collocations\" class=\"stack\">\(StaffLayout.csrfField(call))"
        out += "\(controls.label("air.sensor", for: "sensor"))\(controls.select("sensor", lowCost, form["sensor"], id: "sensor", aria: t("air.sensor")))"
        out += "\(controls.label("airqa.reference", for: "reference"))\(controls.select("reference", references, form["reference"], id: "reference", aria: t("airqa.reference")))"
        out += "\(controls.label("airqa.parameter", for: "parameter"))\(controls.select("parameter", [("pm25", "PM2.5"), ("o3", "O₃")], form["parameter"], id: "parameter", aria: t("airqa.parameter")))"
        out += controls.input("from", form["from"], type: "date", label: "airqa.from") + controls.input("to", form["to"], type: "date", label: "airqa.to")
        out += "<button>\(t("airqa.run"))</button></form>"
        return out
    }
}
