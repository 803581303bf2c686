import AirQuality
import CarbonKit
import CityCarbonPages
import CityCarbonStore
import CityProgramme
import Foundation
import Hummingbird

/// The city's air quality for the public (`/air`, `/api/v1/air`): the real-time index of the
/// latest hour for the city and each district, yesterday's daily index, and every sensor of the
/// network with whose it is and how many of its last week's hours the checks flagged. One
/// function (``AirNetwork``) gives the page and the API their numbers.
struct AirFigures: Sendable {
    let database: CityCarbonDatabase

    struct District: Sendable {
        var name: String
        var now: DailyAirQuality?
    }

    struct Snapshot: Sendable {
        var hour: Int64?
        var city: DailyAirQuality?
        var yesterday: DailyAirQuality?
        var yesterdayDay: Day
        var districts: [District]
        var sensors: [AirNetwork.SensorStatus]
        var offsetMinutes: Int
        /// The districts' outlines (GeoJSON), for the map.
        var boundaries: String
    }

    func snapshot(now: Date = Date()) throws -> Snapshot {
        let network = AirNetwork(database)
        let offset = try CitySettingsRepository(database).current().utcOffsetMinutes
        let hour = try network.latestHour()
        let today = LocalDay.of(Int64(now.timeIntervalSince1970), utcOffset: Int64(offset) * 60)
        let yesterday = today.adding(days: -1)
        let sensors = try network.sensors()
        let districts = Array(Set(sensors.compactMap(\.district))).sorted()
        return Snapshot(hour: hour, city: try network.realtime(hour: hour), yesterday: try network.day(yesterday), yesterdayDay: yesterday,
                        districts: try districts.map { District(name: $0, now: try network.realtime(hour: hour, district: $0)) },
                        sensors: try network.status(since: Int64(now.timeIntervalSince1970) - 7 * 86_400), offsetMinutes: offset,
                        boundaries: try BoundaryRepository(database).featureCollection())
    }

    /// The hour as the city's local time, `2026-12-06 14:00`.
    static func localHour(_ hour: Int64, offsetMinutes: Int) -> String {
        let local = hour + Int64(offsetMinutes) * 60
        let day = Day(ordinal: Day(year: 1970, month: 1, day: 1)!.ordinal + Int(local / 86_400))
        return String(format: "%@ %02d:00", day.description, Int(local % 86_400) / 3600)
    }

    /// How a concentration is shown, on the page and in the API alike: two decimals below 10
    /// (CO in mg/m³, ppm), one above.
    static func shown(_ value: Double) -> (value: Double, decimals: Int) {
        let decimals = abs(value) < 10 ? 2 : 1
        let scale = decimals == 2 ? 100.0 : 10.0
        return ((value * scale).rounded() / scale, decimals)
    }

    /// The hour as RFC 3339 with the city's offset, for the API.
    static func isoHour(_ hour: Int64, offsetMinutes: Int) -> String {
        let local = hour + Int64(offsetMinutes) * 60
        let day = Day(ordinal: Day(year: 1970, month: 1, day: 1)!.ordinal + Int(local / 86_400))
        return String(format: "%@T%02d:00:00%@%02d:%02d", day.description, Int(local % 86_400) / 3600, offsetMinutes < 0 ? "-" : "+",
                      abs(offsetMinutes) / 60, abs(offsetMinutes) % 60)
    }

    static func json(_ quality: DailyAirQuality?) -> JSONValue {
        guard let quality, let index = quality.index else { return .null }
        return .object([
            ("aqi", .integer(index.value)), ("standard", .string(index.standard)), ("level", .integer(index.category.level)),
            ("category", .object([("en", .string(index.category.en)), ("zh", .string(index.category.zh))])),
            ("primary", .array(index.primary.map(JSONValue.string))), ("grade", quality.grade.map { .string($0.rawValue) } ?? .null),
            ("concentrations", .object(quality.concentrations.keys.sorted().map { ($0, .number(shown(quality.concentrations[$0]!).value)) })),
            ("subIndices", .object(index.subIndices.map { ($0.table, .integer($0.value)) })),
        ])
    }

    func json(now: Date = Date()) throws -> JSONValue {
        let snapshot = try snapshot(now: now)
        return .object([
            ("hour", snapshot.hour.map { .string(Self.isoHour($0, offsetMinutes: snapshot.offsetMinutes)) } ?? .null),
            ("now", Self.json(snapshot.city)),
            ("yesterday", .object([("day", .string(snapshot.yesterdayDay.description)), ("index", Self.json(snapshot.yesterday))])),
            ("districts", .array(snapshot.districts.map { .object([("district", .string($0.name)), ("now", Self.json($0.now))]) })),
            ("sensors", .array(snapshot.sensors.map { status in
                .object([("code", .string(status.sensor.code)), ("name", .string(status.sensor.name)), ("owner", .string(status.sensor.owner)),
                         ("model", .string(status.sensor.model)), ("grade", .string(status.sensor.grade.rawValue)),
                         ("placement", .string(status.sensor.placement.rawValue)), ("district", status.sensor.district.map(JSONValue.string) ?? .null),
                         ("coordinates", .object([("latitude", .number((status.sensor.latitude * 1e6).rounded() / 1e6)),
                                                  ("longitude", .number((status.sensor.longitude * 1e6).rounded() / 1e6))])),
                         ("correction", status.sensor.correction.map(JSONValue.string) ?? .null),
                         ("latestHour", status.latest.map { .string(Self.isoHour($0, offsetMinutes: snapshot.offsetMinutes)) } ?? .null),
                         ("hoursLastWeek", .integer(status.hours)), ("flaggedLastWeek", .integer(status.flagged)),
                         ("flags", .object(status.flags.keys.sorted().map { ($0, .integer(status.flags[$0]!)) }))])
            })),
            ("standards", .array(AQIStandards.shipped.standards.map { .object([("id", .string($0.id)), ("cite", .string($0.citation)),
                                                                              ("from", .string($0.effective_from)),
                                                                              ("to", $0.effective_to.map(JSONValue.string) ?? .null)]) })),
        ])
    }
}

struct AirPages: Sendable {
    let figures: AirFigures

    func addRoutes(to routes: RouteRegistrar) {
        routes.open(.get, "air") { request, _ in
            let t = Localizer(Language.of(request))
            return Layout.response(ByteBuffer(string: page(try figures.snapshot(), t).markup))
        }
        routes.open(.get, "api/v1/air") { _, _ in try figures.json().httpResponse() }
        routes.open(.get, "api/v1/air/sensors/:code/aggregates") { request, context in
            let code = try context.parameters.require("code")
            let query = request.uri.queryParameters
            var issues: [InputIssue] = []
            func field(_ name: String) -> String? { query.get(name).map { String(describing: $0) } }
            let parameter = AirParameter(rawValue: field("parameter") ?? "pm25")
            if parameter == nil {
                issues.append(InputIssue(InputLocation(field: "parameter"), value: field("parameter").map { String($0.prefix(40)) },
                                         reason: "is not a parameter", suggestion: AirParameter.allCases.map(\.rawValue).joined(separator: ", ")))
            }
            let period = AirAggregates.Period(rawValue: field("period") ?? "day")
            if period == nil {
                issues.append(InputIssue(InputLocation(field: "period"), value: field("period").map { String($0.prefix(40)) }, reason: "is not a period",
                                         suggestion: AirAggregates.Period.allCases.map(\.rawValue).joined(separator: ", ")))
            }
            func day(_ name: String) -> Day? {
                guard let text = field(name) else { return nil }
                guard let day = Day(text), (2000...2100).contains(day.year) else {
                    issues.append(InputIssue(InputLocation(field: name), value: String(text.prefix(40)), reason: "is not a day YYYY-MM-DD from 2000 to 2100"))
                    return nil
                }
                return day
            }
            let today = Day.today
            let to = day("to") ?? today
            // At most ten years back from `to`: an earlier `from` is moved up, and the answer's `from` says so.
            let from = max(day("from") ?? to.adding(days: -6), to.adding(days: -3_652))
            if !issues.isEmpty { throw InputErrors(issues) }
            // `from` after `to` is an empty range, not an error.
            guard let results = from > to ? (try AirNetwork(figures.database).sensors().contains { $0.code == code } ? [] : nil)
                    : try AirNetwork(figures.database).aggregates(sensor: code, parameter: parameter!, period: period!, from: from, to: to) else {
                throw ProblemDetails(.notFound, "no sensor \(String(code.prefix(64)))")
            }
            return JSONValue.object([
                ("sensor", .string(code)), ("parameter", .string(parameter!.rawValue)), ("unit", .string(parameter!.unit)),
                ("period", .string(period!.rawValue)), ("from", .string(from.description)), ("to", .string(to.description)),
                ("results", .array(results.map { aggregate in
                    .object([("period", .string(aggregate.period)), ("mean", aggregate.mean.map { .number(($0 * 100).rounded() / 100) } ?? .null),
                             ("min", aggregate.minimum.map(JSONValue.number) ?? .null), ("max", aggregate.maximum.map(JSONValue.number) ?? .null),
                             ("observed", .integer(aggregate.observed)), ("expected", .integer(aggregate.expected)),
                             ("coverage", .number((aggregate.coverage * 10).rounded() / 10))])
                })),
            ]).httpResponse()
        }
    }

    /// The standard's own name for a category in English or Chinese; another language's
    /// translation of the English name where it has one (`air.category.Good`).
    static func category(_ t: Localizer, _ category: AQIStandard.Category) -> String {
        t.language == .zhHans ? category.zh : t.strings["air.category." + category.en] ?? category.en
    }

    static func pollutants(_ t: Localizer, _ list: [String]) -> String {
        list.map { t("air.pollutant.\($0)") }.joined(separator: t.language == .zhHans ? "、" : ", ")
    }

    func page(_ snapshot: AirFigures.Snapshot, _ t: Localizer) -> HTML {
        var body: HTML = "<main id=\"main\"><p>\(t("air.intro"))</p>"
        if let hour = snapshot.hour, let now = snapshot.city, let index = now.index {
            let standard = AQIStandards.shipped.standard(index.standard)
            body += "<section class=\"headlines\">"
            let from = Set(now.sensors.values.flatMap { $0 }).count
            body += card(t("air.now", ["hour": AirFigures.localHour(hour, offsetMinutes: snapshot.offsetMinutes)]), String(index.value),
                         Self.category(t, index.category) + " · " + t(now.grade == .reference ? "air.fromReference" : "air.fromLowCost",
                                                                       ["n": String(from)]), level: index.category.level)
            if let yesterday = snapshot.yesterday?.index {
                body += card(t("air.yesterday", ["day": snapshot.yesterdayDay.description]), String(yesterday.value),
                             Self.category(t, yesterday.category), level: yesterday.category.level)
            }
            body += card(t("air.primary"), index.primary.isEmpty ? "—" : Self.pollutants(t, index.primary),
                         index.primary.isEmpty ? t("air.primaryNone") : t("air.primaryUnit"), level: nil)
            body += "</section>"
            body += "<table id=\"sub-indices\"><caption>\(t("air.subIndices"))</caption><thead><tr>"
            body += Table.headings(["air.pollutant", "air.concentration", "air.iaqi"], t) + "</tr></thead><tbody>"
            for sub in index.subIndices.sorted(by: { $0.value > $1.value }) {
                let unit = standard?.tables[sub.table]?.unit ?? ""
                let shown = AirFigures.shown(now.concentrations[sub.table] ?? sub.concentration)
                body += "<tr><td>\(t("air.table.\(sub.table)"))</td><td class=\"n\">\(t.number(shown.value, decimals: shown.decimals)) \(unit)</td>"
                body += "<td class=\"n\">\(sub.value)</td></tr>"
            }
            body += "</tbody></table>"
            body += "<table id=\"districts\"><caption>\(t("air.byDistrict"))</caption><thead><tr>"
            // Where a district's figure comes from sits under its name, so a phone's table keeps four columns.
            body += Table.headings(["air.district", "air.aqi", "air.category", "air.primary"], t) + "</tr></thead><tbody>"
            for district in snapshot.districts {
                let named: HTML = "<a href=\"/air/districts/\(Markup.percentEncoded(district.name))\">\(district.name)</a>"
                guard let found = district.now, let index = found.index else {
                    body += "<tr><td>\(named)</td><td colspan=\"3\">\(t("air.noValue"))</td></tr>"
                    continue
                }
                body += "<tr><td>\(named)<br><small>\(t(found.grade == .reference ? "air.grade.reference" : "air.grade.low_cost"))</small></td>"
                body += "<td class=\"n\"><span class=\"swatch aqi-\(index.category.level)\"></span> \(index.value)</td>"
                body += "<td>\(Self.category(t, index.category))</td><td>\(index.primary.isEmpty ? "—" : Self.pollutants(t, index.primary))</td></tr>"
            }
            body += "</tbody></table>"
            if let standard { body += map(snapshot, standard: standard, t) }
            if let standard {
                body += "<p><small>\(t("air.standardNote", ["standard": t.language == .zhHans ? standard.citationZh : standard.citation]))</small></p>"
            }
        } else {
            body += "<p>\(t("air.none"))</p>"
        }
        body += "<h2 id=\"sensors\">\(t("air.sensors"))</h2><p>\(t("air.sensors.intro"))</p>"
        body += "<table id=\"sensor-table\"><caption>\(t("air.sensors.caption"))</caption><thead><tr>"
        // The grade and model under the sensor's name and the owner under its district: three
        // columns fit a phone's width, so the flagged hours are not scrolled out of sight.
        body += Table.headings(["air.sensor", "air.districtOwner", "air.flagged"], t) + "</tr></thead><tbody>"
        for status in snapshot.sensors {
            let share = status.hours > 0 ? Double(status.flagged) / Double(status.hours) : 0
            body += "<tr><td><a href=\"/air/sensors/\(Markup.percentEncoded(status.sensor.code))\">\(status.sensor.name)</a><br><small>\(t("air.grade.\(status.sensor.grade.rawValue)")) · <code>\(status.sensor.code)</code> · "
            body += "\(status.sensor.model)</small></td>"
            body += "<td>\(status.sensor.district ?? "—")<br><small>\(status.sensor.owner)</small></td>"
            // Not a number cell (those never wrap): the count, the flags and the latest hour wrap on a phone.
            body += "<td>\(t("air.flaggedValue", ["flagged": t.whole(Int64(status.flagged)), "hours": t.whole(Int64(status.hours)), "percent": t.number(share * 100, decimals: 0)]))"
            if !status.flags.isEmpty {
                body += "<br><small>\(status.flags.keys.sorted().map { "\(t("air.flag.\($0)")) \(status.flags[$0]!)" }.joined(separator: " · "))</small>"
            }
            body += "<br><small>\(t("air.latest")): \(status.latest.map { AirFigures.localHour($0, offsetMinutes: snapshot.offsetMinutes) } ?? "—")</small>"
            body += "</td></tr>"
        }
        body += "</tbody></table>"
        body += "<p>\(t.html("air.download", ["json": "<a href=\"/api/v1/air\">JSON</a>"]))</p></main>"
        return Layout.page(t, title: t("air.title"), body: body, query: [], footer: t("air.footer"))
    }

    /// The districts coloured by their index's category, with every sensor on them; each district
    /// links to its air page and each sensor to its own. The table under the map names every value.
    func map(_ snapshot: AirFigures.Snapshot, standard: AQIStandard, _ t: Localizer) -> HTML {
        let areas = ChoroplethMap.areas(geoJSON: snapshot.boundaries)
        guard !areas.isEmpty else { return "" }
        var values: [String: Double] = [:]
        for district in snapshot.districts {
            if let level = district.now?.index?.category.level, let position = standard.categories.firstIndex(where: { $0.level == level }) {
                values[district.name] = Double(position)
            }
        }
        var map = ChoroplethMap(title: t("air.map"), description: t("air.map.description"), areas: areas, values: values,
                                format: { t.number($0, decimals: 0) }, link: { "/air/districts/\(Markup.percentEncoded($0))" }, noData: t("air.noValue"),
                                categories: standard.categories.map { ChartFigure.Key(Self.category(t, $0), color: $0.colour) })
        map.markers = snapshot.sensors.map { status in
            ChoroplethMap.Marker(name: "\(status.sensor.name) (\(status.sensor.code))", longitude: status.sensor.longitude, latitude: status.sensor.latitude,
                                 square: status.sensor.grade == .reference, link: "/air/sensors/\(Markup.percentEncoded(status.sensor.code))")
        }
        map.markerNames = (t("air.grade.low_cost"), t("air.grade.reference"))
        return "<h2 id=\"map\">\(t("air.map"))</h2><figure>" + map.html(id: "air-map", t: t, unit: t("air.category"))
            + "<figcaption>\(t("air.map.caption"))</figcaption></figure>"
    }

    /// The category's colour is a class (the pages allow no inline style): `aqi-1` to `aqi-6` in site.css.
    private func card(_ label: String, _ value: String, _ unit: String, level: Int?) -> HTML {
        let swatch = level.map { "<span class=\"swatch aqi-\($0)\"></span> " } ?? ""
        return "<div class=\"headline\"><div class=\"label\">\(label)</div><div class=\"value\">\(HTML(verbatim: swatch))\(value)</div><div class=\"unit\">\(unit)</div></div>"
    }
}
