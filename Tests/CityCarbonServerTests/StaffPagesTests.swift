import CarbonAccounting
import CarbonKit
import CityCarbonStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CityCarbonPages
@testable import CityCarbonServer

@Suite("Staff pages")
struct StaffPagesTests {
    func upload(_ client: some TestClientProtocol, _ browser: Browser, csv: String, existing: String = "append") async throws -> TestResponse {
        let (body, contentType) = multipart([("csrf", browser.csrf), ("existing", existing)], file: ("file", "district.csv", csv))
        return try await client.execute(uri: "/staff/upload", method: .post, headers: [.cookie: browser.cookie, .contentType: contentType], body: body)
    }

    @Test("An upload with errors shows the CLI's errors as a table, with row, field, value and suggestion, and stores nothing")
    func uploadWithErrors() async throws {
        let (database, district, _) = try staffWorkspace()
        let before = try ActivityRepository(database).count()
        try await application(database).test(.router) { client in
            let editor = try await signIn(client, "editor")
            let csv = "year,jurisdiction,gpc_ref,fuel,amount,unit\n2023,\(district),I.1.1,natral_gas,100,TJ\n2023,\(district),I.63,gas_diesel_oil,5,TJ\n"
            let response = try await upload(client, editor, csv: csv)
            #expect(response.status == .unprocessableContent)
            let html = String(buffer: response.body)
            #expect(html.contains(#"<table class="issues">"#))
            #expect(html.contains("natral_gas"))
            #expect(html.contains("natural_gas"))   // the suggestion
            #expect(html.contains("I.63") && html.contains("I.6.3"))
            #expect(html.contains("<td>2</td>") && html.contains("<td>3</td>"))   // the file's rows
        }
        #expect(try ActivityRepository(database).count() == before)
    }

    @Test("A good upload shows the inventory it would give; committing stores it as a draft the public does not see")
    func uploadPreviewCommit() async throws {
        let (database, district, _) = try staffWorkspace()
        let published = try InventoryRepository(database).latest(year: 2023)!.totals(year: 2023).basicPlus
        let rows = try ActivityRepository(database).count()
        try await application(database).test(.router) { client in
            let editor = try await signIn(client, "editor")
            // 1 TJ of natural gas at IPCC's 56,100 kg CO2/TJ, with CH4 and N2O: a little over 56.1 t CO2e.
            let csv = "year,jurisdiction,gpc_ref,fuel,amount,unit,ad_quality,source\n2023,\(district),I.1.1,natural_gas,1000,TJ,H,meter readings\n"
            let preview = try await upload(client, editor, csv: csv)
            #expect(preview.status == .ok)
            let html = String(buffer: preview.body)
            #expect(html.contains(#"id="upload-summary""#))
            #expect(html.contains("+56."))   // kt CO2e: 1,000 TJ × 56.1 t/TJ
            #expect(try ActivityRepository(database).count() == rows, "nothing stored before commit")
            let action = try #require(html.range(of: #"action="/staff/upload/"#).map { html[$0.upperBound...].prefix { $0 != "\"" } })
            let commit = try await client.execute(uri: "/staff/upload/\(action)", method: .post, headers: editor.formHeaders(), body: editor.form())
            #expect(commit.status == .seeOther)
            #expect(commit.headers[.location]?.contains("notice=imported") == true)
            // Stored and recomputed as a draft…
            let draft = try #require(try InventoryRepository(database).latest(year: 2023)).totals(year: 2023).basicPlus
            // Residential (I.1): IPCC 2006 Vol. 2 Table 2.5, CH4 5 kg/TJ and N2O 0.1 kg/TJ, at AR5's 28 and 265.
            #expect(abs(draft - published - (56_100 + 5 * 28 + 0.1 * 265)) < 0.01)
            // …but the public still sees the published computation.
            let api = try await client.execute(uri: "/api/v1/inventories/2023", method: .get)
            #expect(abs((api.json["totals"]?["basic_plus"]?.number ?? 0) - published) < 0.001)
            // Committing twice is refused: the preview is gone.
            let again = try await client.execute(uri: "/staff/upload/\(action)", method: .post, headers: editor.formHeaders(), body: editor.form())
            #expect(again.status == .gone)
        }
    }

    @Test("A row of a district the editor may not write is listed with the file's other errors on the first upload")
    func scopeWithOtherErrors() async throws {
        let (database, district, other) = try staffWorkspace()
        try await application(database).test(.router) { client in
            let editor = try await signIn(client, "editor")
            let csv = "year,jurisdiction,gpc_ref,fuel,amount,unit\n2023,\(district),I.1.1,natural_gas,lots,TJ\n2023,\(other),I.1.1,natural_gas,1,TJ\n"
            let response = try await upload(client, editor, csv: csv)
            #expect(response.status == .unprocessableContent)
            let text = String(buffer: response.body)
            #expect(text.contains("outside the jurisdictions") && text.contains("lots"), "both problems in one answer")
            // Row 3 (the other district) and row 2 (the bad amount), in the order of the file.
            let rows = text.matches(of: /<tr><td>(\d+)<\/td>/).map { String($0.output.1) }
            #expect(rows.contains("2") && rows.contains("3"), "\(rows)")
        }
    }

    @Test("An editor cannot load data of a district outside its scope")
    func editorScope() async throws {
        let (database, _, other) = try staffWorkspace()
        try await application(database).test(.router) { client in
            let editor = try await signIn(client, "editor")
            let response = try await upload(client, editor, csv: "year,jurisdiction,gpc_ref,fuel,amount,unit\n2023,\(other),I.1.1,natural_gas,1,TJ\n")
            #expect(response.status == .unprocessableContent)
            #expect(String(buffer: response.body).contains("outside the jurisdictions"))
        }
    }

    @Test("Rows already stored for a year and district are refused unless the editor chooses replace or append")
    func clashNeedsAChoice() async throws {
        let (database, district, _) = try staffWorkspace()
        try await application(database).test(.router) { client in
            let editor = try await signIn(client, "editor")
            let response = try await upload(client, editor, csv: "year,jurisdiction,gpc_ref,fuel,amount,unit\n2023,\(district),I.1.1,natural_gas,1,TJ\n", existing: "refuse")
            #expect(response.status == .unprocessableContent)
            #expect(String(buffer: response.body).contains("already has"))
        }
    }

    @Test("An admin publishes a recomputed year: the public numbers change only then; withdrawing hides the year")
    func publishAndWithdraw() async throws {
        let (database, district, _) = try staffWorkspace()
        _ = try ActivityRepository(database).importCSV(Array("year,jurisdiction,gpc_ref,fuel,amount,unit\n2023,\(district),I.1.1,natural_gas,1000,TJ\n".utf8),
                                                       file: "more.csv", existing: .append, actor: "editor")
        _ = try InventoryRepository(database).compute(year: 2023, gwp: GasCatalog.standard.gwpSet("AR5"), actor: "editor")
        try await application(database).test(.router) { client in
            let admin = try await signIn(client, "admin")
            let home = String(buffer: try await client.execute(uri: "/staff", method: .get, headers: admin.headers).body)
            #expect(home.contains("newer draft"))
            let before = try await client.execute(uri: "/api/v1/inventories/2023", method: .get).json["totals"]?["basic_plus"]?.number
            let publish = try await client.execute(uri: "/staff/inventories/2023/publish", method: .post, headers: admin.formHeaders(), body: admin.form())
            #expect(publish.status == .seeOther)
            let after = try await client.execute(uri: "/api/v1/inventories/2023", method: .get).json["totals"]?["basic_plus"]?.number
            #expect(before != after)
            let withdraw = try await client.execute(uri: "/staff/inventories/2023/withdraw", method: .post, headers: admin.formHeaders(), body: admin.form())
            #expect(withdraw.status == .seeOther)
            #expect(try await client.execute(uri: "/api/v1/inventories/2023", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/inventory/2023", method: .get).status == .notFound)
        }
    }

    @Test("An admin creates an account; its errors name the field; the last admin cannot demote itself")
    func accounts() async throws {
        let (database, district, _) = try staffWorkspace()
        try await application(database).test(.router) { client in
            let admin = try await signIn(client, "admin")
            let created = try await client.execute(uri: "/staff/accounts", method: .post, headers: admin.formHeaders(), body: admin.form([
                ("username", "wang.fang"), ("display_name", "王芳"), ("password", "a long enough password"), ("role", "editor"),
                ("organisation", "Ecology bureau"), ("jurisdictions", district),
            ]))
            #expect(created.status == .ok)
            #expect(try AccountRepository(database).account(username: "wang.fang")?.jurisdictions == [district])
            _ = try await signIn(client, "wang.fang", password: "a long enough password")
            let bad = try await client.execute(uri: "/staff/accounts", method: .post, headers: admin.formHeaders(), body: admin.form([
                ("username", "x"), ("password", "short"), ("role", "editor"),
            ]))
            #expect(bad.status == .badRequest)
            let html = String(buffer: bad.body)
            #expect(html.contains("username") && html.contains("password") && html.contains("organisation"))
            let demote = try await client.execute(uri: "/staff/accounts/admin", method: .post, headers: admin.formHeaders(), body: admin.form([("role", "viewer")]))
            #expect(demote.status == .badRequest)
            #expect(String(buffer: demote.body).contains("last active admin"))
        }
    }

    @Test("An API key made on the page is shown once and writes through the API under its own name")
    func apiKeyFromThePage() async throws {
        let (database, _, _) = try staffWorkspace()
        try await application(database).test(.router) { client in
            let admin = try await signIn(client, "admin")
            let page = try await client.execute(uri: "/staff/api-keys", method: .post, headers: admin.formHeaders(), body: admin.form([("name", "meter-gateway"), ("role", "admin")]))
            let html = String(buffer: page.body)
            let secret = try #require(html.range(of: #"id="secret">"#).map { String(html[$0.upperBound...].prefix { $0 != "<" }) })
            #expect(secret.hasPrefix("cck_"))
            #expect(!String(buffer: try await client.execute(uri: "/staff/api-keys", method: .get, headers: admin.headers).body).contains(secret))
            let withdraw = try await client.execute(uri: "/api/v1/inventories/2021/publication", method: .delete, headers: [.authorization: "Bearer \(secret)"])
            #expect(withdraw.status == .ok)
            #expect(try AuditTrail(database).events(entity: "publication").first?.actor == "api-key:meter-gateway")
        }
    }

    @Test("The audit page lists events filtered by entity and says whether the chain holds")
    func auditPage() async throws {
        let (database, _, _) = try staffWorkspace()
        try await application(database).test(.router) { client in
            let verifier = try await signIn(client, "verifier")
            let page = try await client.execute(uri: "/staff/audit?entity=account&verify=1", method: .get, headers: verifier.headers)
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            #expect(html.contains("6 event(s)"))   // one per account of the workspace, the demo's verifier among them
            #expect(!html.contains("<td>publication"))
            #expect(html.contains(#"id="verification""#) && html.contains("is intact"))
        }
    }
}

@Suite("Draft review")
struct DraftReviewTests {
    @Test("A viewer sees a recomputed year's draft beside the public numbers, reference by reference")
    func draftBesidePublic() async throws {
        let (database, district, _) = try staffWorkspace()
        _ = try ActivityRepository(database).importCSV(Array("year,jurisdiction,gpc_ref,fuel,amount,unit\n2023,\(district),I.2.1,natural_gas,100,TJ\n".utf8),
                                                       file: "more.csv", existing: .append, actor: "editor")
        _ = try InventoryRepository(database).compute(year: 2023, gwp: GasCatalog.standard.gwpSet("AR5"), actor: "editor")
        try await application(database).test(.router) { client in
            let viewer = try await signIn(client, "viewer")
            let page = try await client.execute(uri: "/staff/inventories/2023", method: .get, headers: viewer.headers)
            #expect(page.status == .ok)
            let html = String(buffer: page.body)
            // I.2.1 (commercial): 100 TJ × 56,100 kg CO2/TJ + CH4 5 × 28 + N2O 0.1 × 265 kg/TJ = 5.6 kt more.
            let row = try #require(html.range(of: "<th scope=\"row\">I.2.1</th>").map { String(html[$0.lowerBound...].prefix { $0 != "\n" }.prefix(400)) })
            #expect(row.contains("+5.6"))
            #expect(!html.contains("data-action=\"publish-2023\""), "a viewer is not offered publication")
            let missing = try await client.execute(uri: "/staff/inventories/1990", method: .get, headers: viewer.headers)
            #expect(missing.status == .notFound)
        }
    }
}

@Suite("City settings on the staff pages")
struct CitySettingsPageTests {
    @Test("The climate office changes the city's settings on its page, all or none, audited; a bad value is named and changes nothing")
    func changeSettings() async throws {
        let (database, _, _) = try staffWorkspace()
        try await application(database).test(.router) { client in
            let admin = try await signIn(client, "admin")
            let page = try await client.execute(uri: "/staff/city", method: .get, headers: admin.headers)
            #expect(page.status == .ok && page.text.contains(#"id="city-settings""#) && page.text.contains(#"<option value="AR5" selected>"#))
            let saved = try await client.execute(uri: "/staff/city", method: .post, headers: admin.formHeaders(),
                                                 body: admin.form([("name.zh-Hans", "河谷示范市"), ("gwp", "AR6"), ("utc_offset", "+08:00"),
                                                                   ("new_fuel", "natural_gas"), ("new_fuel_set", "CN2011")]))
            #expect(saved.status == .ok && saved.text.contains("3 settings changed"), "\(saved.text.prefix(300))")
            let settings = try CitySettingsRepository(database).current()
            #expect(settings.gwp == "AR6" && settings.names["zh-Hans"] == "河谷示范市" && settings.factorSet(for: "natural_gas") == "CN2011")
            // The public dashboard names the city as its settings do, in each language.
            let zh = try await client.execute(uri: "/?lang=zh-Hans", method: .get)
            #expect(zh.text.contains("河谷示范市"))
            let version = try AuditTrail(database).version()
            let refused = try await client.execute(uri: "/staff/city", method: .post, headers: admin.formHeaders(),
                                                   body: admin.form([("gwp", "AR5"), ("utc_offset", "+8")]))
            #expect(refused.status == .unprocessableContent || refused.status == .badRequest)
            #expect(refused.text.contains("utc_offset") && refused.text.contains("+8"))
            #expect(try CitySettingsRepository(database).current() == settings && AuditTrail(database).version() == version)
        }
    }
}

