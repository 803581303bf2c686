import CityCarbonStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CityCarbonPages
@testable import CityCarbonServer

@Suite("Open API writes")
struct WriteAPITests {
    func key(_ database: CityCarbonDatabase, _ role: Role, district: String? = nil) throws -> HTTPFields {
        let secret = try APIKeyRepository(database).create(name: "client-\(role.rawValue)", role: role, organisation: district == nil ? nil : "office",
                                                           jurisdictions: district.map { [$0] } ?? [], actor: "admin").secret
        return [.authorization: "Bearer \(secret)", .contentType: "text/csv"]
    }

    @Test("An editor's key imports a CSV of its district: 201 with the summary, audited under the key's name")
    func importActivities() async throws {
        let (database, district, _) = try staffWorkspace()
        let headers = try key(database, .editor, district: district)
        try await application(database).test(.router) { client in
            let csv = "year,jurisdiction,gpc_ref,fuel,amount,unit\n2024,\(district),I.1.1,natural_gas,12.5,TJ\n2024,\(district),I.2.1,gas_diesel_oil,3,TJ\n"
            let response = try await client.execute(uri: "/api/v1/activities?file=feed.csv", method: .post, headers: headers, body: ByteBuffer(string: csv))
            #expect(response.status == .created, "\(response.text)")
            #expect(response.json["rows"]?.number == 2)
            expectConforms(response, path: "/api/v1/activities", method: "post", status: "201")
            #expect(try AuditTrail(database).events(entity: "activity_file").first?.actor == "api-key:client-editor")
            let computed = try await client.execute(uri: "/api/v1/inventories/2024/computation", method: .post, headers: headers)
            #expect(computed.status == .created)
            expectConforms(computed, path: "/api/v1/inventories/{year}/computation", method: "post", status: "201")
            // 12.5 TJ natural gas (56,100 kg CO2/TJ) + 3 TJ diesel (74,100 kg CO2/TJ), CO2 alone: 923.55 t.
            #expect((computed.json["basic_plus_t"]?.number ?? 0) > 923.55)
            // Computed is not published: the public still has nothing for 2024.
            #expect(try await client.execute(uri: "/api/v1/inventories/2024", method: .get).status == .notFound)
        }
    }

    @Test("A CSV with errors is 400 with every problem and its row; nothing is stored")
    func importErrors() async throws {
        let (database, district, _) = try staffWorkspace()
        let headers = try key(database, .admin)
        let rows = try ActivityRepository(database).count()
        try await application(database).test(.router) { client in
            let csv = "year,jurisdiction,gpc_ref,fuel,amount,unit\n2024,\(district),I.1.1,natral_gas,1,TJ\n2024,\(district),I.1.1,gas_diesel_oil,1,Tj\n"
            let response = try await client.execute(uri: "/api/v1/activities", method: .post, headers: headers, body: ByteBuffer(string: csv))
            #expect(response.status == .badRequest)
            #expect(response.headers[.contentType] == "application/problem+json")
            expectConforms(response, path: "/api/v1/activities", method: "post", status: "400", media: "application/problem+json")
            let errors = response.json["errors"]?.array ?? []
            #expect(errors.contains { $0["row"]?.number == 2 && $0["suggestion"]?.string?.contains("natural_gas") == true })
            #expect(errors.contains { $0["row"]?.number == 3 && $0["value"]?.string == "Tj" })
        }
        #expect(try ActivityRepository(database).count() == rows)
    }

    @Test("Without a key the write is 401 with WWW-Authenticate; a revoked key is refused too")
    func needsKey() async throws {
        let (database, _, _) = try staffWorkspace()
        let headers = try key(database, .admin)
        try await application(database).test(.router) { client in
            let none = try await client.execute(uri: "/api/v1/inventories/2023/publication", method: .delete)
            #expect(none.status == .unauthorized)
            #expect(none.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            expectConforms(none, path: "/api/v1/inventories/{year}/publication", method: "delete", status: "401", media: "application/problem+json")
            try APIKeyRepository(database).revoke(id: try APIKeyRepository(database).all()[0].id, actor: "admin")
            #expect(try await client.execute(uri: "/api/v1/inventories/2023/publication", method: .delete, headers: headers).status == .unauthorized)
            #expect(try PublicationRepository(database).isPublished(2023))
        }
    }

    @Test("A viewer's key may read but not publish: 403")
    func viewerKeyCannotPublish() async throws {
        let (database, _, _) = try staffWorkspace()
        let headers = try key(database, .viewer)
        try await application(database).test(.router) { client in
            let response = try await client.execute(uri: "/api/v1/inventories/2023/publication", method: .delete, headers: headers)
            #expect(response.status == .forbidden)
            expectConforms(response, path: "/api/v1/inventories/{year}/publication", method: "delete", status: "403", media: "application/problem+json")
        }
    }

    @Test("Publishing through the API answers the documented publication state")
    func publishThroughAPI() async throws {
        let (database, _, _) = try staffWorkspace()
        let headers = try key(database, .admin)
        try await application(database).test(.router) { client in
            let withdrawn = try await client.execute(uri: "/api/v1/inventories/2022/publication", method: .delete, headers: headers)
            #expect(withdrawn.json["published"] == .bool(false))
            expectConforms(withdrawn, path: "/api/v1/inventories/{year}/publication", method: "delete")
            let published = try await client.execute(uri: "/api/v1/inventories/2022/publication", method: .put, headers: headers)
            #expect(published.json["published"] == .bool(true))
            #expect(published.json["published_by"]?.string == "api-key:client-admin")
            expectConforms(published, path: "/api/v1/inventories/{year}/publication", method: "put")
        }
    }

    @Test("A body over the upload limit is refused with 413 before it is read")
    func bodyLimit() async throws {
        let (database, _, _) = try staffWorkspace()
        let headers = try key(database, .admin)
        try await application(database).test(.router) { client in
            let big = ByteBuffer(repeating: UInt8(ascii: "a"), count: BodyLimit.upload + 1)
            let response = try await client.execute(uri: "/api/v1/activities", method: .post, headers: headers, body: big)
            #expect(response.status == .contentTooLarge)
            let form = try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                body: ByteBuffer(repeating: UInt8(ascii: "a"), count: BodyLimit.form + 1))
            #expect(form.status == .contentTooLarge)
        }
    }
}
