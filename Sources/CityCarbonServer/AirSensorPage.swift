import AirQuality
import CarbonKit
import CityCarbonPages
import CityCarbonStore
import Foundation
import Hummingbird

/// One sensor of the air network for the public (`/air/sensors/{code}`): whose it is and what it
/// is, its daily means of the last 30 days (the value used beside the sensor's own reading, with
/// the days too thin to count left out), its last 24 hours with what the checks flagged, and its
/// latest collocation with a reference monitor. The daily means are the aggregates API's.
struct AirSensorPage: Sendable {
    let database: CityCarbonDatabase

    static let days = 30

    func addRoutes(to routes: RouteRegistrar) {
        routes.open(.get, "air/sensors/:code") { request, context in
            let t = Localizer(Language.of(request))
            let code = try context.parameters.decoded("code")
            let network = AirNetwork(database)
            guard let sensor = try network.sensors().first(where: { $0.code == code }) else {
                throw ProblemDetails(.notFound, t("airsensor.missing", ["code": String(code.prefix(64))]))
            }
            return Layout.response(ByteBuffer(string: try page(sensor, t).markup))
        }
    }

    func page(_ sensor: AirSensor, _ t: Localizer, now: Date = Date()) throws -> HTML {
        let network = AirNetwork(database)
        let offset = try CitySettingsRepository(database).current().utcOffsetMinutes
        let today = LocalDay.of(Int64(now.timeIntervalSince1970), utcOffset: Int64(offset) * 60)
        let first = today.adding(days: -(Self.days - 1))
        let start = LocalDay.start(first, utcOffset: Int64(offset) * 60), end = LocalDay.start(today.adding(days: 1), utcOffset: Int64(offset) * 60)
        let hours = try network.hours(sensors: [sensor.code], from: start, to: end)
        // The parameter shown: PM2.5 where the sensor measures it, else the first it has.
        let parameter = hours.contains { $0.parameter == .pm25 } ? AirParameter.pm25 : hours.map(\.parameter).first ?? .pm25
        let used = try network.aggregates(sensor: sensor.code, parameter: parameter, period: .day, from: first, to: today) ?? []
        let raw = AirAggregates.aggregate(hours.filter { $0.parameter == parameter }.map { (hour: $0.hour, value: $0.raw) }, by: .day,
                                          from: start, to: end, utcOffset: offset * 60)
        let complete = SensorQC.shipped.completeness_percent
        func points(_ aggregates: [AirAggregates.Aggregate]) -> [(year: Int, value: Double)] {
            aggregates.compactMap { a in
                guard a.isComplete(complete), let mean = a.mean, let day = Day(a.period) else { return nil }
                return (day.ordinal, mean)
            }
        }
        var body: HTML = "<main id=\"main\"><p><a href=\"/air#sensors\">← \(t("air.title"))</a></p>"
        body += "<dl class=\"terms\">"
        body += "<dt>\(t("airsensor.kind"))</dt><dd>\(t("air.grade.\(sensor.grade.rawValue)")) · \(sensor.model) · <code>\(sensor.code)</code></dd>"
        body += "<dt>\(t("airsensor.owner"))</dt><dd>\(sensor.owner)</dd>"
        body += "<dt>\(t("air.district"))</dt><dd>\(sensor.district ?? "—") · \(t("airsensor.placement.\(sensor.placement.rawValue)"))</dd>"
        body += "<dt>\(t("airsensor.where"))</dt><dd>\(t.number(sensor.latitude, decimals: 4)), \(t.number(sensor.longitude, decimals: 4))</dd>"
        if sensor.grade == .lowCost {
            let correction = try sensor.correction.flatMap { try AirNetwork(database).corrections().correction($0) }
            let named = correction.map { "\($0.title) (<code>\($0.id)</code>)" as HTML } ?? HTML(text: t("airqa.uncorrected"))
            body += "<dt>\(t("airqa.correction"))</dt><dd>\(named)</dd>"
            let latest = try AirCollocations(database).list(sensor: sensor.code, limit: 1).first
            let verdict = latest.map { AirQAPage(database: database).verdict($0, t: t, offset: offset) } ?? HTML(text: t("airqa.never"))
            body += "<dt>\(t("airqa.latestCollocation"))</dt><dd>\(verdict)</dd>"
        }
        body += "</dl>"
        let unit = parameter.unit
        let label: @Sendable (Int) -> String = { String(Day(ordinal: $0).description.dropFirst(5)) }
        var lines = [LineChart.Line(label: t("airsensor.used"), color: Palette.categorical[0], points: points(used))]
        if sensor.grade == .lowCost { lines.append(LineChart.Line(label: t("airsensor.raw"), color: Palette.categorical[6], points: points(raw), dashed: true)) }
        if lines.allSatisfy({ $0.points.isEmpty }) {
            body += "<p>\(t("airsensor.noDays", ["days": String(Self.days)]))</p>"
        } else {
            var chart = LineChart(title: t("airsensor.chart", ["parameter": t("air.pollutant.\(parameter.rawValue)"), "days": String(Self.days)]),
                                  description: t("airsensor.chart.description"), lines: lines,
                                  format: { t.number($0, decimals: $0 == $0.rounded() || $0 >= 10 ? 0 : 1) }, unit: unit, timeTitle: t("airsensor.day"))
            chart.timeLabel = label
            body += "<h2 id=\"daily-title\">\(chart.title)</h2><figure>" + chart.html(id: "daily", t: t, width: .wide)
            body += "<figcaption>\(t("airsensor.chart.caption", ["percent": t.number(complete, decimals: 0)]))</figcaption></figure>"
        }
        // The last 24 hours of the parameter, newest first, with what the checks said of each.
        let recent = hours.filter { $0.parameter == parameter }.sorted { $0.hour > $1.hour }.prefix(24)
        body += "<table id=\"hours\"><caption>\(t("airsensor.hours", ["parameter": t("air.pollutant.\(parameter.rawValue)"), "unit": unit]))</caption><thead><tr>"
        body += Table.headings(["airsensor.hour", "airsensor.raw", "airsensor.used", "airsensor.checks"], t) + "</tr></thead><tbody>"
        func value(_ x: Double?) -> String { x.map { t.number($0, decimals: 1) } ?? "—" }
        for hour in recent {
            body += "<tr><td>\(AirFigures.localHour(hour.hour, offsetMinutes: offset))</td><td class=\"n\">\(value(hour.raw))</td>"
            body += "<td class=\"n\">\(value(hour.value))</td><td>\(hour.flags.isEmpty ? "✓" : hour.flags.map { t("air.flag.\($0.rawValue)") }.joined(separator: ", "))</td></tr>"
        }
        if recent.isEmpty { body += "<tr><td colspan=\"4\">\(t("air.none"))</td></tr>" }
        body += "</tbody></table>"
        let api = "/api/v1/air/sensors/\(Markup.percentEncoded(sensor.code))/aggregates?parameter=\(parameter.rawValue)&amp;period=day&amp;from=\(first)&amp;to=\(today)"
        body += "<p>\(t.html("air.download", ["json": "<a href=\"\(api)\">JSON</a>"]))</p></main>"
        return Layout.page(t, title: sensor.name, body: body, query: [], footer: t("air.footer"))
    }
}
