import CarbonKit
import CityCarbonStore
import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing
@testable import CityCarbonPages
@testable import CityCarbonServer

/// Publishing and withdrawing ask first: a page says what the public sees now and after, and
/// who drafted it; opening it changes nothing.
@Suite("Publish and withdraw ask for confirmation")
struct PublishConfirmationTests {
    @Test("Republishing a year shows the public totals now and after, the rows that change and who computed it; opening it changes nothing")
    func inventoryPublish() async throws {
        let (database, _, _) = try staffWorkspace()
        _ = try InventoryRepository(database).compute(year: 2023, gwp: GasCatalog.standard.gwpSet("AR6"), actor: "editor")
        try await application(database).test(.router) { client in
            let admin = try await signIn(client, "admin")
            let home = try await client.execute(uri: "/staff", method: .get, headers: admin.headers).text
            #expect(home.contains(#"<a class="button" href="/staff/inventories/2023/publish" data-action="publish-2023">"#))
            let before = try AuditTrail(database).version()
            let page = try await client.execute(uri: "/staff/inventories/2023/publish", method: .get, headers: admin.headers)
            #expect(page.status == .ok)
            #expect(try AuditTrail(database).version() == before, "opening the confirmation changes nothing")
            let status = try #require(try PublicationRepository(database).status().first { $0.year == 2023 })
            let now = Localizer(.en).number(try #require(status.publishedBasicPlusTonnes) / 1e6, decimals: 3)
            let after = Localizer(.en).number(status.basicPlusTonnes / 1e6, decimals: 3)
            #expect(now != after, "AR6 changes the total")
            #expect(page.text.contains(#"<tr><th scope="row">BASIC+</th><td class="n">\#(now) Mt</td><td class="n">\#(after) Mt</td></tr>"#))
            #expect(page.text.contains("by editor."))
            #expect(page.text.contains(#"<form method="post" action="/staff/inventories/2023/publish">"#) && page.text.contains(#"data-action="publish-2023""#))
            let done = try await client.execute(uri: "/staff/inventories/2023/publish", method: .post, headers: admin.formHeaders(), body: admin.form())
            #expect(done.status == .seeOther)
            #expect(try PublicationRepository(database).status().first { $0.year == 2023 }?.hasNewerDraft == false)
        }
    }

    @Test("Withdrawing a year says which year the dashboard shows after it")
    func inventoryWithdraw() async throws {
        let (database, _, _) = try staffWorkspace()
        try await application(database).test(.router) { client in
            let admin = try await signIn(client, "admin")
            let page = try await client.execute(uri: "/staff/inventories/2023/withdraw", method: .get, headers: admin.headers).text
            #expect(page.contains(#"<tr><th scope="row">Latest year on the dashboard</th><td class="n">2023</td><td class="n">2022</td></tr>"#))
            #expect(try PublicationRepository(database).publishedYears().contains(2023))
        }
    }

    @Test("A step that would change nothing says so and offers no button")
    func nothingToDo() async throws {
        let (database, _, _) = try staffWorkspace()
        try await application(database).test(.router) { client in
            let admin = try await signIn(client, "admin")
            for path in ["/staff/inventories/2023/publish", "/staff/statistics/publish", "/staff/indicators/publish", "/staff/pathways/demo-planned/publish"] {
                let page = try await client.execute(uri: path, method: .get, headers: admin.headers).text
                #expect(page.contains(#"id="nothing""#) && !page.contains(#"<button type="submit" data-action"#), "\(path)")
            }
        }
    }

    @Test("Only those who may publish see a confirmation; anything else is refused as the step itself is")
    func onlyPublishers() async throws {
        let (database, _, _) = try staffWorkspace()
        try await application(database).test(.router) { client in
            let editor = try await signIn(client, "editor")
            for path in ["/staff/inventories/2023/publish", "/staff/statistics/publish", "/staff/indicators/publish", "/staff/pathways/demo-planned/withdraw"] {
                #expect(try await client.execute(uri: path, method: .get, headers: editor.headers).status == .forbidden, "\(path)")
            }
            let admin = try await signIn(client, "admin")
            #expect(try await client.execute(uri: "/staff/inventories/1999/publish", method: .get, headers: admin.headers).status == .notFound)
            #expect(try await client.execute(uri: "/staff/pathways/nothing/publish", method: .get, headers: admin.headers).status == .notFound)
        }
    }

    @Test("Publishing a submitted scenario confirms the reviewed version: its digest and who submitted it")
    func pathwayPublish() async throws {
        let (database, _, _) = try staffWorkspace()
        var scenario = try #require(try PathwayRepository(database).scenario("demo-planned")).scenario
        scenario.measures[0].name = ["en": "A renamed lever"]
        try PathwayRepository(database).save(scenario, actor: "editor")
        try PathwayRepository(database).submit("demo-planned", actor: "editor")
        let digest = try #require(try PathwayRepository(database).scenario("demo-planned")).digest
        try await application(database).test(.router) { client in
            let admin = try await signIn(client, "admin")
            let page = try await client.execute(uri: "/staff/pathways/demo-planned/publish", method: .get, headers: admin.headers).text
            #expect(page.contains(#"<input type="hidden" name="digest" value="\#(digest)">"#))
            #expect(page.contains("Submitted for review by editor"))
        }
    }
}
