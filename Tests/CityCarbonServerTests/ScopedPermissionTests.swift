import CarbonKit
import CityCarbonStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CityCarbonPages
@testable import CityCarbonServer

/// What a role may do is in the role table, and scoped where the data is someone's.
@Suite("Scoped permissions")
struct ScopedPermissionTests {
    @Test("An editor recomputes under the year's GWP set; switching it is the climate office's (403)")
    func gwpSwitchIsTheClimateOffices() async throws {
        let (database, district, _) = try staffWorkspace()
        let editorKey = try APIKeyRepository(database).create(name: "e", role: .editor, organisation: "office", jurisdictions: [district], actor: "t").secret
        let adminKey = try APIKeyRepository(database).create(name: "a", role: .admin, actor: "t").secret
        try await application(database).test(.router) { client in
            let switched = try await client.execute(uri: "/api/v1/inventories/2023/computation?gwp=AR6", method: .post, headers: [.authorization: "Bearer \(editorKey)"])
            #expect(switched.status == .forbidden)
            #expect(try InventoryRepository(database).latest(year: 2023)?.gwp == "AR5")
            let same = try await client.execute(uri: "/api/v1/inventories/2023/computation", method: .post, headers: [.authorization: "Bearer \(editorKey)"])
            #expect(same.status == .created)
            let byAdmin = try await client.execute(uri: "/api/v1/inventories/2023/computation?gwp=AR6", method: .post, headers: [.authorization: "Bearer \(adminKey)"])
            #expect(byAdmin.status == .created)
            #expect(try InventoryRepository(database).latest(year: 2023)?.gwp == "AR6")
        }
    }

    @Test("A district's editor may recompute only a year holding its district's rows")
    func recomputeIsScoped() throws {
        let (database, district, other) = try staffWorkspace()
        let rows = "year,jurisdiction,gpc_ref,fuel,amount,unit,factor_set,ad_quality,source,notation_key,ie_ref,note\n2031,\(other),I.1.1,natural_gas,5,TJ,,H,s,,,\n"
        try ActivityRepository(database).importCSV(Array(rows.utf8), file: "other.csv", actor: "admin")
        let editor = Principal(actor: "editor", role: .editor, organisation: "office", jurisdictions: [district])
        #expect(throws: AccessDenied.self) { try InventoryRepository(database).compute(year: 2031, gwp: nil, as: editor) }
        #expect(try InventoryRepository(database).latest(year: 2031) == nil)
        _ = try InventoryRepository(database).compute(year: 2023, gwp: nil, as: editor)
    }

    @Test("An upload previewed in a district the editor then loses cannot be committed")
    func commitRechecksScope() async throws {
        let (database, district, other) = try staffWorkspace()
        let rows = try ActivityRepository(database).count()
        try await application(database).test(.router) { client in
            let editor = try await signIn(client, "editor")
            let csv = "year,jurisdiction,gpc_ref,fuel,amount,unit,ad_quality,source\n2023,\(district),I.1.1,natural_gas,1000,TJ,H,meter readings\n"
            let (body, contentType) = multipart([("csrf", editor.csrf), ("existing", "append")], file: ("file", "district.csv", csv))
            let preview = try await client.execute(uri: "/staff/upload", method: .post, headers: [.cookie: editor.cookie, .contentType: contentType], body: body)
            let html = String(buffer: preview.body)
            let action = try #require(html.range(of: #"action="/staff/upload/"#).map { html[$0.upperBound...].prefix { $0 != "\"" } })
            // The climate office moves the editor to another district before the commit.
            try AccountRepository(database, passwordCost: 4).update(username: "editor", role: .editor, organisation: "\(other) office",
                                                                    jurisdictions: [other], disabled: false, actor: "admin")
            let commit = try await client.execute(uri: "/staff/upload/\(action)", method: .post, headers: editor.formHeaders(), body: editor.form())
            #expect(commit.status == .badRequest)
            #expect(String(buffer: commit.body).contains(district))
            #expect(try ActivityRepository(database).count() == rows)
        }
    }

    @Test("Viewers and verifiers read alerts but cannot acknowledge them; the button is not shown to them")
    func acknowledgingIsExplicit() {
        #expect(Role.viewer.permissions.contains(.acknowledgeAlerts) == false)
        #expect(Role.verifier.permissions.contains(.acknowledgeAlerts) == false)
        #expect(Role.editor.permissions.contains(.acknowledgeAlerts) && Role.reporter.permissions.contains(.acknowledgeAlerts))
        #expect(Role.admin.permissions.contains(.chooseMethod) && !Role.editor.permissions.contains(.chooseMethod))
    }
}
