import CarbonKit
import CityCarbonPages
import CityCarbonStore
import Hummingbird

/// The city's standing for a control-room wall (`/ioc`): the one-screen view alone, in large
/// type. `?refresh=300` makes it reload itself every 300 seconds so that a wall stays current;
/// it is asked for, never the default, because a page that reloads on its own takes control
/// from a reader who did not ask (WCAG 2.1, 2.2.1). The numbers are the dashboard's, from
/// ``CityOverview``.
struct ControlRoomPage {
    let database: CityCarbonDatabase
    let cache: InventoryCache
    let pages: PageCache
    let live: LiveFigures

    func response(_ request: Request) throws -> Response {
        let language = Language.of(request)
        var refresh: Int?
        if let text = request.uri.queryParameters.get("refresh") {
            do throws(InputIssue) { refresh = try InputNumber.integer(String(text), field: "refresh", in: 60...86_400) } catch { throw InputErrors([error]) }
        }
        let page = try pages.page("ioc/\(language.rawValue)/\(refresh ?? 0)") {
            let t = Localizer(language)
            let overview = try CityOverview.load(database: database, cache: cache, language: language)
            let city = try CitySettingsRepository(database).current().name(in: language.rawValue,
                                                                           fallback: try JurisdictionRepository(database).tree().roots.first ?? "CityCarbon")
            let note = t(refresh == nil ? "ioc.refreshHint" : "ioc.refreshing", ["seconds": String(refresh ?? 300)])
            let body: HTML = """
                <main id="main" class="wall">\(OverviewPanels.standing(overview, t: t, id: "ioc-standing"))\
                <div class="panels">\(LiveFigures.marker("today"))\(OverviewPanels.plan(overview, t: t))\(OverviewPanels.warnings(overview, t: t))</div>\
                <p class="note">\(note)</p></main>
                """
            return Layout.wall(t, title: t("ioc.title", ["city": city]), body: body, refreshSeconds: refresh)
        }
        // Today's figures are put in on each answer: a wall that reloads shows the hour it reloaded in.
        let t = Localizer(language)
        return Layout.response(LiveFigures.splice(page, ["today": try live.part("today/\(language.rawValue)") { MonitoringPages.panel($0, t: t) }]))
    }
}
