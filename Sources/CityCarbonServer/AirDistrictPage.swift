import AirQuality
import CarbonKit
import CityCarbonPages
import CityCarbonStore
import Foundation
import Hummingbird

/// One district's air for the public (`/air/districts/{name}`): its index now, its daily index over
/// the last seven days, and the sensors that speak for it. The figures are ``AirNetwork``'s
/// `realtime` and `day` for the district, the functions `/air` shows the district's row from.
struct AirDistrictPage: Sendable {
    let database: CityCarbonDatabase

    func addRoutes(to routes: RouteRegistrar) {
        routes.open(.get, "air/districts/:name") { request, context in
            let t = Localizer(Language.of(request))
            let name = try context.parameters.decoded("name")
            guard try JurisdictionRepository(database).tree().nodes[name]?.parent != nil else {
                throw ProblemDetails(.notFound, t("airdistrict.missing", ["name": String(name.prefix(64))]))
            }
            return Layout.response(ByteBuffer(string: try page(name, t).markup))
        }
    }

    func page(_ district: String, _ t: Localizer, now: Date = Date()) throws -> HTML {
        let network = AirNetwork(database)
        let offset = try CitySettingsRepository(database).current().utcOffsetMinutes
        let today = LocalDay.of(Int64(now.timeIntervalSince1970), utcOffset: Int64(offset) * 60)
        let hour = try network.latestHour()
        var body: HTML = "<main id=\"main\"><p><a href=\"/air\">← \(t("air.title"))</a> · <a href=\"/districts/\(Markup.percentEncoded(district))\">\(t("airdistrict.profile"))</a></p>"
        if let hour, let now = try network.realtime(hour: hour, district: district), let index = now.index {
            body += "<p class=\"lead\"><span class=\"swatch aqi-\(index.category.level)\"></span> "
            body += HTML(text: t("airdistrict.now", ["hour": AirFigures.localHour(hour, offsetMinutes: offset), "aqi": String(index.value),
                                                     "category": AirPages.category(t, index.category),
                                                     "source": t(now.grade == .reference ? "air.grade.reference" : "air.grade.low_cost")]))
            body += "</p>"
        } else {
            body += "<p>\(t("air.noValue"))</p>"
        }
        body += "<table id=\"days\"><caption>\(t("airdistrict.days"))</caption><thead><tr>"
        body += Table.headings(["airdistrict.day", "air.aqi", "air.category", "air.primary"], t) + "</tr></thead><tbody>"
        for back in 1...7 {
            let day = today.adding(days: -back)
            body += "<tr><td>\(day.description)</td>"
            if let index = try network.day(day, district: district)?.index {
                body += "<td class=\"n\"><span class=\"swatch aqi-\(index.category.level)\"></span> \(index.value)</td><td>\(AirPages.category(t, index.category))</td>"
                body += "<td>\(index.primary.isEmpty ? "—" : AirPages.pollutants(t, index.primary))</td></tr>"
            } else {
                body += "<td colspan=\"3\">\(t("air.noValue"))</td></tr>"
            }
        }
        body += "</tbody></table>"
        let sensors = try network.sensors().filter { $0.district == district }
        body += "<h2 id=\"sensors\">\(t("airdistrict.sensors"))</h2>"
        if sensors.isEmpty {
            body += "<p>\(t("airdistrict.noSensors"))</p>"
        } else {
            body += "<ul>" + sensors.html { sensor in
                "<li><a href=\"/air/sensors/\(Markup.percentEncoded(sensor.code))\">\(sensor.name)</a> · \(t("air.grade.\(sensor.grade.rawValue)")) · \(sensor.owner)</li>"
            } + "</ul>"
        }
        body += "<p class=\"note\">\(t("airdistrict.note"))</p></main>"
        return Layout.page(t, title: t("airdistrict.title", ["district": district]), body: body, query: [], footer: t("air.footer"))
    }
}
