import CityCarbonStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CityCarbonPages
@testable import CityCarbonServer

/// Indicator values entered on the web by the organisation that owns the indicator: a draft
/// until the climate office publishes it.
@Suite("Indicator values on the staff pages")
struct IndicatorValuesPageTests {
    static func workspace() throws -> (CityCarbonDatabase, String) {
        let (database, district, _) = try staffWorkspace()
        let sheet = """
            identifier,group,name_zh,name_en,unit,direction,kind,baseline_year,baseline,target_year,target,source,note,owner
            bus_share,transport,公交出行分担率,Bus share of trips,%,increase,expected,2020,21,2025,30,plan §3,,\(district) office
            tree_cover,green,树冠覆盖率,Tree cover,%,increase,expected,2020,18,2025,20,plan §4,,Parks bureau

            """
        _ = try IndicatorRepository(database).importSheet(Array(sheet.utf8), file: "owned.csv", actor: "office")
        try IndicatorRepository(database).publish(["bus_share", "tree_cover"], by: "office")
        return (database, district)
    }

    @Test("An editor enters a value of its organisation's indicator: a draft, public only once the climate office publishes it")
    func editorEntersADraft() async throws {
        let (database, _) = try Self.workspace()
        try await application(database).test(.router) { client in
            let editor = try await signIn(client, "editor")
            let page = try await client.execute(uri: "/staff/indicators", method: .get, headers: editor.headers)
            #expect(page.text.contains(#"data-indicator="bus_share""#) && !page.text.contains(#"data-indicator="tree_cover""#))
            let saved = try await client.execute(uri: "/staff/indicators/bus_share/values", method: .post, headers: editor.formHeaders(),
                                                 body: editor.form([("year", "2023"), ("value", "24.5"), ("source", "transit survey 2023")]))
            #expect(saved.status == .ok && saved.text.contains("as a draft"), "\(saved.text.prefix(300))")
            #expect(try IndicatorRepository(database).unpublished() == ["bus_share"])
            let before = try await client.execute(uri: "/api/v1/indicators/bus_share", method: .get)
            #expect(!(before.json["values"]?.array ?? []).contains { $0["year"]?.number == 2023 })
            try IndicatorRepository(database).publish(["bus_share"], by: "office")
            let after = try await client.execute(uri: "/api/v1/indicators/bus_share", method: .get)
            #expect((after.json["values"]?.array ?? []).contains { $0["year"]?.number == 2023 && $0["value"]?.number == 24.5 })
            #expect(try AuditTrail(database).events(entity: "indicator").contains { $0.actor == "editor" })
        }
    }

    @Test("Another organisation's indicator, a computed one, an ambiguous number or a future year is refused and nothing changes")
    func refusals() async throws {
        let (database, _) = try Self.workspace()
        try await application(database).test(.router) { client in
            let editor = try await signIn(client, "editor")
            let admin = try await signIn(client, "admin")
            let version = try AuditTrail(database).version()
            let other = try await client.execute(uri: "/staff/indicators/tree_cover/values", method: .post, headers: editor.formHeaders(),
                                                 body: editor.form([("year", "2023"), ("value", "19"), ("source", "survey")]))
            #expect(other.status == .forbidden)
            let computed = try await client.execute(uri: "/staff/indicators/co2_per_gdp_cut/values", method: .post, headers: admin.formHeaders(),
                                                    body: admin.form([("year", "2023"), ("value", "5"), ("source", "typed")]))
            #expect(computed.status == .badRequest || computed.status == .unprocessableContent)
            #expect(computed.text.contains("is computed from the published inventories"))
            let ambiguous = try await client.execute(uri: "/staff/indicators/bus_share/values", method: .post, headers: editor.formHeaders(),
                                                     body: editor.form([("year", "2999"), ("value", "24,5"), ("source", "survey")]))
            #expect(ambiguous.text.contains("ambiguous") && ambiguous.text.contains("year"))
            #expect(try AuditTrail(database).version() == version)
        }
    }
}
