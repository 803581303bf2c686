import CityCarbonPages
import CarbonAccounting
import CarbonKit
import CarbonMonitoring
import CityCarbonStore
import Foundation
import Hummingbird

/// Live monitoring: the city and its districts now against a typical day (public, aggregate
/// only), and for staff the sites with their intensity ranks, a page per site and the alerts.
/// A scoped account (an enterprise's or a district's) sees its own organisation's sites only.
struct MonitoringPages: Sendable {
    let database: CityCarbonDatabase
    let live: LiveFigures

    func addRoutes(to routes: RouteRegistrar) {
        routes.open(.get, "monitoring") { request, _ in
            let t = Localizer(Language.of(request))
            let nowcast = try live.nowcast()
            let calendar = try MonitoringRegistry(database).config().calendar
            let html = Layout.page(t, title: t("monitoring.title"), body: "<main id=\"main\">\(Self.nowcast(nowcast, t: t, calendar: calendar))</main>", query: [], footer: t("monitoring.footer"))
            var response = Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: html.markup)))
            response.headers[.cacheControl] = "no-cache"
            return response
        }
        routes.staff(.get, "staff/monitoring", .signIn) { _, _, call in
            let t = call.t
            let scope = call.principal.monitoringScope
            let sites = try MonitoringRegistry(database).sites().filter { scope.allows(organisation: $0.site.organisation, site: $0.site.key) }
            let ranks = Dictionary(grouping: try MonitoringRepository(database).benchmark(), by: \.siteKey).compactMapValues(\.first)
            let open = Dictionary(grouping: try MonitoringRepository(database).alerts(), by: \.site).mapValues(\.count)
            var body: HTML = "<p>\(t("monitoring.sites.intro"))</p><p><a href=\"/staff/monitoring/alerts\">\(t("monitoring.alerts.title"))</a> · <a href=\"/monitoring\">\(t("monitoring.title"))</a></p>"
            body += "<table id=\"sites\"><thead><tr>" + ["monitoring.site", "monitoring.kind", "monitoring.district", "monitoring.organisation", "monitoring.intensity", "monitoring.rank", "monitoring.openAlerts"]
                .html { "<th scope=\"col\">\(t($0))</th>" } + "</tr></thead><tbody>"
            for s in sites {
                let rank = ranks[s.site.key]
                body += "<tr data-site=\"\(s.site.key)\"\(rank?.isOutlier == true ? " class=\"outlier\"" as HTML : "")><th scope=\"row\"><a href=\"/staff/monitoring/sites/\(Markup.percentEncoded(s.site.key))\">\(s.site.name)</a></th>"
                body += "<td>\(t("monitoring.siteKind.\(s.site.kind.rawValue)")) / \(s.site.use)</td><td>\(s.site.jurisdiction)</td><td>\(s.site.organisation)</td>"
                body += "<td class=\"num\">\(rank.map { t.number($0.intensity, decimals: 1) } ?? "—")</td>"
                body += "<td>\(rank.map { "\($0.rank) / \($0.groupSize)" + ($0.isOutlier ? " ⚠ " + t("monitoring.outlier", ["ratio": t.number(($0.ratioToPeers ?? 0) * 100, decimals: 0)]) : "") } ?? "—")</td>"
                body += "<td class=\"num\">\(open[s.site.key] ?? 0)</td></tr>"
            }
            body += "</tbody></table><p class=\"note\">\(t("monitoring.intensity.note"))</p>"
            return StaffLayout.page(t, call, title: t("monitoring.sites.title"), body: body)
        }
        routes.staff(.get, "staff/monitoring/sites/:site", .signIn) { _, context, call in
            let key = try context.parameters.require("site")
            guard let detail = try MonitoringRepository(database).site(key),
                  call.principal.monitoringScope.allows(organisation: detail.summary.site.organisation, site: key) else {
                throw ProblemDetails(.notFound, call.t("monitoring.site.missing", ["site": key]))
            }
            let calendar = try MonitoringRegistry(database).config().calendar
            return StaffLayout.page(call.t, call, title: detail.summary.site.name, body: Self.site(detail, call: call, calendar: calendar))
        }
        routes.staff(.get, "staff/monitoring/alerts", .signIn) { _, _, call in
            let t = call.t
            let all = call.form["status"] == "all"
            var alerts = try MonitoringRepository(database).alerts(organisation: call.principal.role.isScoped ? call.principal.organisation : nil,
                                                                   status: all ? nil : "open")
            if call.principal.role.isScoped, call.principal.organisation == nil { alerts = [] }
            var body: HTML = "<p><a href=\"?status=\(all ? "open" : "all")\">\(t(all ? "monitoring.alerts.openOnly" : "monitoring.alerts.all"))</a></p>"
            body += Self.alertTable(alerts, call: call, calendar: try MonitoringRegistry(database).config().calendar)
            return StaffLayout.page(t, call, title: t("monitoring.alerts.title"), body: body)
        }
        routes.staff(.post, "staff/monitoring/alerts/:id/acknowledge", .acknowledgeAlerts) { _, context, call in
            let id = try context.parameters.require("id", as: Int64.self)
            let organisation = call.principal.role.isScoped ? (call.principal.organisation ?? "") : nil
            guard try MonitoringRepository(database).acknowledge(alert: id, organisation: organisation, actor: call.actor) else {
                throw ProblemDetails(.notFound, call.t("monitoring.alert.missing"))
            }
            return StaffLayout.redirect(call.form["back"].flatMap { $0.hasPrefix("/staff/") ? $0 : nil } ?? "/staff/monitoring/alerts")
        }
    }

    /// "I.2 Commercial and institutional buildings and facilities", in the page's language.
    static func sectorName(_ ref: String, _ t: Localizer) -> String {
        guard let entry = GPCTaxonomy.standard.entry(ref + ".1") else { return ref }
        return ref + " " + (t.language == .zhHans ? entry.subsectorName.zhHans : entry.subsectorName.en)
    }

    /// Kilograms as tonnes in the page's language: "6.86 t", "6.86吨".
    static func tonnes(_ kg: Double, _ t: Localizer) -> String { t("unit.tonnes", ["value": t.number(kg / 1000, decimals: 2)]) }

    static func hourChart(today: [Double?], typical: [Double?], title: String, t: Localizer, scale: Double, unit: String) -> HTML {
        let chart = LineChart(
            title: title, description: t("monitoring.chart.description"),
            lines: [
                .init(label: t("monitoring.typical"), color: Palette.categorical[6], points: typical.enumerated().compactMap { h, v in v.map { (h + 1, $0 / scale) } }, dashed: true),
                .init(label: t("monitoring.today"), color: Palette.categorical[0], points: today.enumerated().compactMap { h, v in v.map { (h + 1, $0 / scale) } }),
            ],
            format: { t.number($0, decimals: abs($0) < 10 ? 2 : 0) }, unit: unit, timeTitle: t("chart.hour"))
        return "<figure>" + chart.html(id: "hours", t: t, width: .wide) + "<figcaption>\(t("monitoring.chart.caption"))</figcaption></figure>"
    }

    /// Today against a typical day, in the words `/monitoring` opens with: the one-screen panel.
    static func lead(_ n: Nowcast, t: Localizer) -> HTML {
        HTML(text: t("monitoring.lead", [
            "day": t.date(n.day), "hours": String(n.hoursElapsed), "today": tonnes(n.city.todayKg, t),
            "typical": n.city.typicalKg.map { tonnes($0, t) } ?? "—", "change": n.city.change.map(t.percent) ?? "—",
        ]))
    }

    static func panel(_ n: Nowcast, t: Localizer) -> HTML {
        #"<section class="panel today"><h2>\#(t("overview.today"))</h2><p>\#(lead(n, t: t))</p>"#
            + #"<p><a href="/monitoring">\#(t("monitoring.title")) →</a> · <a href="/districts?layer=live#district-map">\#(t("overview.todayMap")) →</a> · \#(Layout.methodLink("today", t))</p></section>"#
    }

    static func nowcast(_ n: Nowcast, t: Localizer, calendar: MonitoringCalendar) -> HTML {
        func row(_ a: Nowcast.Area, label: String) -> HTML {
            "<tr><th scope=\"row\">\(label)</th><td class=\"num\">\(tonnes(a.todayKg, t))</td><td class=\"num\">\(a.typicalKg.map { tonnes($0, t) } ?? "—")</td><td class=\"num\">\(a.change.map(t.percent) ?? "—")</td></tr>"
        }
        let head = "<thead><tr><th scope=\"col\"></th>" + Table.headings(["monitoring.today", "monitoring.typical", "monitoring.change"], t) + "</tr></thead>"
        var out: HTML = "<section id=\"now\"><p class=\"lead\">\(lead(n, t: t))</p>"
        out += "<p>" + HTML(text: t("monitoring.freshness", ["readings": t.number(Double(n.readingsToday), decimals: 0),
                                                              "latest": n.latestReading.map(calendar.local) ?? "—"])) + "</p>"
        out += hourChart(today: n.todayByHour, typical: n.typicalByHour, title: t("monitoring.chart.title"), t: t, scale: 1000, unit: "t") + "</section>"
        out += "<section id=\"districts\"><h2>\(t("monitoring.districts"))</h2><table>\(head)<tbody>" + n.districts.map { row($0, label: $0.name) }.joined() + "</tbody></table></section>"
        out += "<section id=\"sectors\"><h2>\(t("monitoring.sectors"))</h2><table>\(head)<tbody>" + n.sectors.map { row($0, label: sectorName($0.name, t)) }.joined() + "</tbody></table></section>"
        out += "<section id=\"month\"><h2>\(t("monitoring.month"))</h2><p>" + HTML(text: t("monitoring.month.text", [
            "kg": tonnes(n.monthToDateKg, t), "previous": n.previousMonthSamePeriodKg.map { tonnes($0, t) } ?? "—",
        ])) + "</p><ul>" + n.consumptionByQuantity.html { q in
            "<li>\(MeterQuantityCatalog.standard[q.quantity]?.name.text(t.language.rawValue) ?? q.quantity): \(t.number(q.amount, decimals: 0)) \(MeterQuantityCatalog.standard[q.quantity]?.defaultUnit ?? "")</li>"
        } + "</ul><p class=\"note\">\(t("monitoring.coverage.note")) \(Layout.methodLink("today", t))</p></section>"
        return out
    }

    static func site(_ d: SiteDetail, call: StaffCall, calendar: MonitoringCalendar) -> HTML {
        let t = call.t
        let s = d.summary.site
        var out: HTML = "<p>\(t("monitoring.siteKind.\(s.kind.rawValue)")) / \(s.use) · \(s.jurisdiction) · \(s.organisation) · GPC \(s.gpcRef)"
        if let area = s.floorAreaM2 { out += " · \(t.number(area, decimals: 0)) m²" }
        out += "</p><p>\(t("monitoring.site.month", ["kg": tonnes(d.monthToDateKg, t)]))</p>"
        if let rank = d.intensity.first(where: { $0.siteKey == s.key }) {
            out += "<section id=\"intensity\"><h2>\(t("monitoring.intensity"))</h2><p>" + HTML(text: t("monitoring.site.rank", [
                "intensity": t.number(rank.intensity, decimals: 1), "rank": String(rank.rank), "size": String(rank.groupSize), "group": rank.peerGroup,
                "median": rank.peerMedian.map { t.number($0, decimals: 1) } ?? "—",
            ])) + (rank.isOutlier ? " <strong class=\"outlier\">⚠ \(t("monitoring.outlier", ["ratio": t.number((rank.ratioToPeers ?? 0) * 100, decimals: 0)]))</strong>" as HTML : "") + "</p></section>"
        }
        for stream in d.streams {
            let ds = stream.summary.datastream
            let quantity = MeterQuantityCatalog.standard[ds.quantity]
            out += "<section class=\"stream\" data-datastream=\"\(ds.key)\"><h2>\(quantity?.name.text(t.language.rawValue) ?? ds.quantity) · \(ds.key)</h2>"
            out += "<p>" + HTML(text: t("monitoring.stream.facts", ["kind": ds.kind.rawValue, "unit": ds.unit, "interval": String(ds.intervalSeconds / 60),
                                                                     "last": stream.summary.lastTime.map(calendar.local) ?? "—", "id": String(stream.summary.id)])) + "</p>"
            if let reason = stream.unpriced { out += "<p class=\"problem\">\(t("monitoring.unpriced", ["reason": reason]))</p>" }
            if quantity?.isAdditive == true {
                out += hourChart(today: stream.todayByHour, typical: stream.typicalByHour, title: t("monitoring.stream.chart", ["unit": ds.unit]), t: t, scale: 1, unit: ds.unit)
            }
            if !stream.gapsToday.isEmpty {
                out += "<p class=\"gaps\">\(t("monitoring.gaps", ["count": String(stream.gapsToday.count), "missing": String(stream.gapsToday.reduce(0) { $0 + $1.missing })])) " + stream.gapsToday.prefix(5).map { "\(calendar.local($0.from)) → \(calendar.local($0.to))" }.joined(separator: "; ") + "</p>"
            }
            out += "</section>"
        }
        out += "<section id=\"days\"><h2>\(t("monitoring.days"))</h2><table><thead><tr><th scope=\"col\">\(t("monitoring.day"))</th><th scope=\"col\">t CO2e</th>"
        let quantities = Array(Set(d.days.flatMap { $0.consumption.keys })).sorted()
        out += quantities.html { "<th scope=\"col\">\(MeterQuantityCatalog.standard[$0]?.name.text(t.language.rawValue) ?? $0)</th>" } + "</tr></thead><tbody>"
        for day in d.days.reversed() where day.kg != 0 || !day.consumption.isEmpty {
            out += "<tr><th scope=\"row\">\(day.day)</th><td class=\"num\">\(t.number(day.kg / 1000, decimals: 3))</td>"
                + quantities.html { "<td class=\"num\">\(day.consumption[$0].map { t.number($0, decimals: 1) } ?? "—")</td>" } + "</tr>"
        }
        out += "</tbody></table></section><section id=\"alerts\"><h2>\(t("monitoring.alerts.title"))</h2>" + alertTable(d.alerts, call: call, calendar: calendar) + "</section>"
        return out
    }

    static func alertTable(_ alerts: [MonitoringAlert], call: StaffCall, calendar: MonitoringCalendar) -> HTML {
        let t = call.t
        guard !alerts.isEmpty else { return "<p>\(t("monitoring.alerts.none"))</p>" }
        var out: HTML = "<table class=\"alerts\"><thead><tr>" + ["monitoring.alert.kind", "monitoring.site", "monitoring.datastream", "monitoring.alert.from", "monitoring.alert.to", "monitoring.alert.observed", "monitoring.alert.expected", "monitoring.alert.status"]
            .html { "<th scope=\"col\">\(t($0))</th>" } + "<th scope=\"col\"></th></tr></thead><tbody>"
        for a in alerts {
            out += "<tr data-alert=\"\(a.id)\" data-kind=\"\(a.kind.rawValue)\"><td>\(t("monitoring.anomaly.\(a.kind.rawValue)"))</td>"
            out += "<td><a href=\"/staff/monitoring/sites/\(Markup.percentEncoded(a.site))\">\(a.siteName)</a></td><td>\(a.datastream)</td>"
            out += "<td>\(calendar.local(a.from))</td><td>\(calendar.local(a.to))</td><td class=\"num\">\(a.observed.map { t.number($0, decimals: 2) } ?? "—")</td>"
            out += "<td class=\"num\">\(a.expected.map { t.number($0, decimals: 2) } ?? "—")</td><td>\(t("monitoring.alert.status.\(a.status)"))</td><td>"
            if a.status == "open", call.principal.may(.acknowledgeAlerts) {
                out += "<form method=\"post\" action=\"/staff/monitoring/alerts/\(a.id)/acknowledge\">\(StaffLayout.csrfField(call))<button>\(t("monitoring.alert.acknowledge"))</button></form>"
            }
            out += "</td></tr>"
        }
        return out + "</tbody></table>"
    }
}
