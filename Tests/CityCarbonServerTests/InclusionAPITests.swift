import CarbonInclusion
import CarbonKit
import CityCarbonStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
@testable import CityCarbonServer

/// A partner's request signed as ``PartnerSignature`` says, with a fresh nonce.
struct SignedPartner {
    var code: String
    var secret: String

    func headers(_ method: String, _ path: String, body: Data, nonce: String = "nonce-" + UUID().uuidString,
                 timestamp: Int64 = Int64(Date().timeIntervalSince1970)) -> HTTPFields {
        let stamp = String(timestamp)
        return [.partnerCode: code, .partnerTimestamp: stamp, .partnerNonce: nonce, .contentType: "application/json",
                .partnerSignature: PartnerSignature.sign(secret: secret, timestamp: stamp, nonce: nonce, method: method, path: path, body: body)]
    }
}

/// RFC 3339 in Asia/Shanghai, `minutesAgo` before now.
func shanghaiTime(minutesAgo: Int64) -> String {
    let seconds = Int64(Date().timeIntervalSince1970) - minutesAgo * 60 + 8 * 3600
    let day = Day(ordinal: Day("1970-01-01")!.ordinal + Int(seconds / 86_400))
    let s = Int(seconds % 86_400)
    return String(format: "%@T%02d:%02d:%02d+08:00", day.description, s / 3600, s / 60 % 60, s % 60)
}

/// The application with a clock tolerance of an hour: a test suspended under the full suite's
/// load may reach the handler minutes after it signed (the tolerance itself is tested below).
func inclusionApplication(_ database: CityCarbonDatabase) -> some ApplicationProtocol {
    var options = ServerOptions(freshness: .zero, passwordCost: 4)
    options.liveFreshness = .zero
    options.monteCarloInBackground = false
    options.partnerClockTolerance = 3600
    return Application(router: CityCarbonApplication.router(database: database, options: options))
}

@Suite("Carbon inclusion: partner API")
struct InclusionAPITests {
    static func workspace() throws -> (CityCarbonDatabase, SignedPartner, InclusionPartners.Credentials) {
        let directory = try ScratchDirectory.make("inclusion")
        let database = try CityCarbonDatabase(path: directory.appendingPathComponent("workspace.sqlite").path)
        try JurisdictionRepository(database).importCSV(Array("name,level,parent,code\nDemo City,city,,330100\nNorth,district,Demo City,330102\n".utf8),
                                                       file: "jurisdictions.csv")
        let made = try InclusionPartners(database).register(code: "amap", name: "Map app", scheme: "city",
                                                            scenarios: ["walk", "walk-trip", "metro", "bus", "parcel-box"], by: "admin")
        return (database, SignedPartner(code: "amap", secret: made.signingSecret), made)
    }

    static func body(_ events: [[String: Any]]) -> Data { try! JSONSerialization.data(withJSONObject: ["events": events]) }

    static func walk(_ serial: String, steps: Any = "7250", account: String = "did:city:ann") -> [String: Any] {
        ["serial": serial, "account": account, "scenario": "walk", "started_at": shanghaiTime(minutesAgo: 90), "evidence": "operator",
         "activity": [["name": "steps", "unit": "step", "value": steps]]]
    }

    static let events = "/api/v1/inclusion/events"

    @Test func aSignedPostIsScreenedAndCredited() async throws {
        let (database, amap, _) = try Self.workspace()
        let body = Self.body([Self.walk("w1"), ["serial": "t1", "account": "did:city:ann", "scenario": "walk-trip", "navigation": true,
                                                "started_at": shanghaiTime(minutesAgo: 60), "ended_at": shanghaiTime(minutesAgo: 45),
                                                "evidence": "operator", "activity": [["name": "distance", "unit": "km", "value": 10]]]])
        try await inclusionApplication(database).test(.router) { client in
            let response = try await client.execute(uri: Self.events, method: .post, headers: amap.headers("POST", Self.events, body: body),
                                                    body: ByteBuffer(data: body))
            #expect(response.status == .ok)
            let results = try #require(response.json["results"]?.array)
            #expect(results[0]["status"]?.string == "available" && results[0]["points"]?.number == 145 && results[0]["grams"]?.string == "145")
            #expect(results[1]["decision"]?.string == "refused" && results[1]["rule"]?.string == "speed")
            #expect(results[1]["reason"]?.string == "walking at 40 km/h is faster than the plausible 8 km/h")
            expectConforms(response, path: Self.events, method: "post")
        }
    }

    @Test func aReplayedRequestIsRefusedAndMovesNothing() async throws {
        let (database, amap, _) = try Self.workspace()
        let body = Self.body([Self.walk("w1")])
        let headers = amap.headers("POST", Self.events, body: body, nonce: "the-same-nonce")
        try await inclusionApplication(database).test(.router) { client in
            let first = try await client.execute(uri: Self.events, method: .post, headers: headers, body: ByteBuffer(data: body))
            let second = try await client.execute(uri: Self.events, method: .post, headers: headers, body: ByteBuffer(data: body))
            #expect(first.status == .ok && second.status == .unauthorized)
            #expect(second.json["detail"]?.string == "nonce the-same-nonce was used already: a request is accepted once")
        }
        #expect(try InclusionAccounts(database).account(scheme: "city", did: "did:city:ann").credits.count == 1)
    }

    @Test func anAlteredBodyOrAnOldTimestampIsRefused() async throws {
        let (database, amap, _) = try Self.workspace()
        let body = Self.body([Self.walk("w1")])
        let altered = Self.body([Self.walk("w1", steps: "72500")])
        try await inclusionApplication(database).test(.router) { client in
            let tampered = try await client.execute(uri: Self.events, method: .post, headers: amap.headers("POST", Self.events, body: body),
                                                    body: ByteBuffer(data: altered))
            #expect(tampered.status == .unauthorized && tampered.json["detail"]?.string == "the signature does not match the request")
            let old = try await client.execute(uri: Self.events, method: .post,
                                               headers: amap.headers("POST", Self.events, body: body, timestamp: Int64(Date().timeIntervalSince1970) - 7200),
                                               body: ByteBuffer(data: body))
            #expect(old.status == .unauthorized)
            let unsigned = try await client.execute(uri: Self.events, method: .post, headers: [.contentType: "application/json"], body: ByteBuffer(data: body))
            #expect(unsigned.status == .unauthorized && unsigned.headers[.wwwAuthenticate] != nil)
        }
        #expect(throws: InclusionRefusal.unknownAccount("did:city:ann")) { try InclusionAccounts(database).account(scheme: "city", did: "did:city:ann") }
    }

    @Test func aBadFieldIsNamedByItsPlaceAndNothingIsTaken() async throws {
        let (database, amap, _) = try Self.workspace()
        for (value, field) in [("0.1234567", "events[1].activity[0].value"), ("1e308", "events[1].activity[0].value"), ("-5", "events[1].activity[0].value")] {
            let body = Self.body([Self.walk("w1"), Self.walk("w2", steps: value)])
            try await inclusionApplication(database).test(.router) { client in
                let response = try await client.execute(uri: Self.events, method: .post, headers: amap.headers("POST", Self.events, body: body),
                                                        body: ByteBuffer(data: body))
                #expect(response.status == .badRequest)
                #expect(response.json["errors"]?.array?.first?["field"]?.string == field, "\(value)")
                expectConforms(response, path: Self.events, method: "post", status: "400", media: "application/problem+json")
            }
        }
        var elsewhere = Self.walk("w1")
        elsewhere["district"] = "Atlantis"
        let unknownDistrict = Self.body([elsewhere])
        try await inclusionApplication(database).test(.router) { client in
            let response = try await client.execute(uri: Self.events, method: .post, headers: amap.headers("POST", Self.events, body: unknownDistrict),
                                                    body: ByteBuffer(data: unknownDistrict))
            #expect(response.status == .badRequest && response.json["errors"]?.array?.first?["field"]?.string == "events[0].district")
        }
        let lookalike = Self.body([Self.walk("w1", account: "did:сity:ann")])  // a Cyrillic "с"
        try await inclusionApplication(database).test(.router) { client in
            let response = try await client.execute(uri: Self.events, method: .post, headers: amap.headers("POST", Self.events, body: lookalike),
                                                    body: ByteBuffer(data: lookalike))
            #expect(response.status == .badRequest && response.json["errors"]?.array?.first?["field"]?.string == "events[0].account")
        }
        #expect(try database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM inclusion_event") } == 0)
    }

    @Test func anOAuthClientGetsATokenAndReadsTheAccountWithIt() async throws {
        let (database, amap, made) = try Self.workspace()
        let body = Self.body([Self.walk("w1"), Self.walk("w2", steps: "1000000")])
        try await inclusionApplication(database).test(.router) { client in
            _ = try await client.execute(uri: Self.events, method: .post, headers: amap.headers("POST", Self.events, body: body), body: ByteBuffer(data: body))
            let wrong = try await client.execute(uri: "/api/v1/inclusion/token", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                 body: urlEncoded([("grant_type", "client_credentials"), ("client_id", "amap"), ("client_secret", "guess")]))
            #expect(wrong.status == .unauthorized && wrong.json["error"]?.string == "invalid_client")
            let both = try await client.execute(uri: "/api/v1/inclusion/token", method: .post,
                                                headers: [.contentType: "application/x-www-form-urlencoded",
                                                          .authorization: "Basic \(Data("amap:\(made.clientSecret)".utf8).base64EncodedString())"],
                                                body: urlEncoded([("grant_type", "client_credentials"), ("client_id", "amap"), ("client_secret", made.clientSecret)]))
            #expect(both.status == .badRequest && both.json["error"]?.string == "invalid_request")
            let basic = Data("amap:\(made.clientSecret)".utf8).base64EncodedString()
            let token = try await client.execute(uri: "/api/v1/inclusion/token", method: .post,
                                                 headers: [.contentType: "application/x-www-form-urlencoded", .authorization: "Basic \(basic)"],
                                                 body: urlEncoded([("grant_type", "client_credentials")]))
            #expect(token.status == .ok && token.json["token_type"]?.string == "Bearer" && token.json["expires_in"]?.number == 3600)
            expectConforms(token, path: "/api/v1/inclusion/token", method: "post")
            let bearer = try #require(token.json["access_token"]?.string)
            let account = try await client.execute(uri: "/api/v1/inclusion/accounts/did:city:ann", method: .get, headers: [.authorization: "Bearer \(bearer)"])
            #expect(account.status == .ok && account.json["points"]?["available"]?.number == 145)
            // The resident sees the refused walk and why.
            let refused = account.json["credits"]?.array?.first { $0["decision"]?.string == "refused" }
            #expect(refused?["reason"]?.string == "steps 1000000 step is above the plausible 100000")
            expectConforms(account, path: "/api/v1/inclusion/accounts/{account}")
            _ = try InclusionPartners(database).revoke("amap", by: "admin")
            let afterRevoke = try await client.execute(uri: "/api/v1/inclusion/accounts/did:city:ann", method: .get, headers: [.authorization: "Bearer \(bearer)"])
            #expect(afterRevoke.status == .unauthorized)
        }
    }

    @Test func aResidentRedeemsExportsAndIsErased() async throws {
        let (database, amap, _) = try Self.workspace()
        try InclusionAccounts(database).addItem(RedemptionItem(code: "voucher-5", scheme: "city", merchant: "Green Grocer", name: "5 CNY voucher",
                                                               pricePoints: 50, faceValueCNY: Micro("5")!), by: "admin")
        let body = Self.body([Self.walk("w1")])
        try await inclusionApplication(database).test(.router) { client in
            _ = try await client.execute(uri: Self.events, method: .post, headers: amap.headers("POST", Self.events, body: body), body: ByteBuffer(data: body))
            let path = "/api/v1/inclusion/accounts/did:city:ann/redemptions"
            let order = try JSONSerialization.data(withJSONObject: ["serial": "r-1", "item": "voucher-5", "quantity": 2])
            let redeemed = try await client.execute(uri: path, method: .post, headers: amap.headers("POST", path, body: order), body: ByteBuffer(data: order))
            #expect(redeemed.status == .created && redeemed.json["points"]?.number == 100)
            let reused = try JSONSerialization.data(withJSONObject: ["serial": "r-1", "item": "voucher-5", "quantity": 1])
            let conflict = try await client.execute(uri: path, method: .post, headers: amap.headers("POST", path, body: reused), body: ByteBuffer(data: reused))
            #expect(conflict.status == .conflict && conflict.json["detail"]?.string == "serial = r-1: was used for another redemption; the first stands")
            let tooMuch = try JSONSerialization.data(withJSONObject: ["serial": "r-2", "item": "voucher-5"])
            let refused = try await client.execute(uri: path, method: .post, headers: amap.headers("POST", path, body: tooMuch), body: ByteBuffer(data: tooMuch))
            #expect(refused.status == .conflict && refused.json["detail"]?.string == "45 points available, 50 needed")
            let exportPath = "/api/v1/inclusion/accounts/did:city:ann/export"
            let export = try await client.execute(uri: exportPath, method: .get, headers: amap.headers("GET", exportPath, body: Data()))
            #expect(export.status == .ok && export.json["events"]?.array?.count == 1 && export.json["redemptions"]?.array?.count == 1)
            let erasePath = "/api/v1/inclusion/accounts/did:city:ann"
            let erased = try await client.execute(uri: erasePath, method: .delete, headers: amap.headers("DELETE", erasePath, body: Data()))
            #expect(erased.status == .noContent)
            let gone = try await client.execute(uri: exportPath, method: .get, headers: amap.headers("GET", exportPath, body: Data()))
            #expect(gone.status == .notFound)
        }
        #expect(try InclusionReads(database).reconcile().balanced)
    }

    @Test func anotherPartnerCannotReachAResidentItNeverPostedFor() async throws {
        let (database, amap, _) = try Self.workspace()
        let other = try InclusionPartners(database).register(code: "bikes", name: "Bike share", scheme: "city", scenarios: ["walk"], by: "admin")
        let bikes = SignedPartner(code: "bikes", secret: other.signingSecret)
        let body = Self.body([Self.walk("w1")])
        try await inclusionApplication(database).test(.router) { client in
            _ = try await client.execute(uri: Self.events, method: .post, headers: amap.headers("POST", Self.events, body: body), body: ByteBuffer(data: body))
            let path = "/api/v1/inclusion/accounts/did:city:ann"
            for method in [HTTPRequest.Method.get, .delete] {
                let response = try await client.execute(uri: path, method: method, headers: bikes.headers(method.rawValue, path, body: Data()))
                #expect(response.status == .notFound, "\(method)")
            }
            // A query the signature does not cover is refused.
            let catalogue = "/api/v1/inclusion/catalogue"
            let unsigned = try await client.execute(uri: catalogue + "?x=1", method: .get, headers: amap.headers("GET", catalogue, body: Data()))
            #expect(unsigned.status == .unauthorized)
            let signed = try await client.execute(uri: catalogue + "?x=1", method: .get, headers: amap.headers("GET", catalogue + "?x=1", body: Data()))
            #expect(signed.status == .ok)
        }
        #expect(try InclusionAccounts(database).account(scheme: "city", did: "did:city:ann").balance.available == 145)
    }

    @Test func thePublicSeesTotalsButNoResidentDeviceOrTrip() async throws {
        let (database, amap, _) = try Self.workspace()
        var marked = Self.walk("SERIAL-MARKER-77", account: "did:city:MARKER-RESIDENT")
        marked["device"] = "DEVICE-MARKER-99"
        marked["district"] = "North"
        let body = Self.body([marked])
        try await inclusionApplication(database).test(.router) { client in
            _ = try await client.execute(uri: Self.events, method: .post, headers: amap.headers("POST", Self.events, body: body), body: ByteBuffer(data: body))
            let year = String(Calendar(identifier: .gregorian).component(.year, from: Date().addingTimeInterval(-5400 + 8 * 3600)))
            for uri in ["/inclusion", "/inclusion?year=\(year)", "/api/v1/inclusion", "/api/v1/inclusion?year=\(year)"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .ok, "\(uri)")
                for marker in ["MARKER", "did:city"] { #expect(!response.text.contains(marker), "\(uri) shows \(marker)") }
            }
            let api = try await client.execute(uri: "/api/v1/inclusion", method: .get)
            #expect(api.json["tonnes"]?.number == 0.000145 && api.json["residents"]?.number == 1)
            #expect(api.json["byDistrict"]?.array?.first?["district"]?.string == "North")
            expectConforms(api, path: "/api/v1/inclusion")
            let page = try await client.execute(uri: "/inclusion", method: .get)
            #expect(page.text.contains("walk@hubei-2022") && page.text.contains("Walking"))
        }
    }

    @Test func theChinesePageCitesEachMethodologysSourceInChinese() async throws {
        let (database, _, _) = try Self.workspace()
        try await inclusionApplication(database).test(.router) { client in
            let page = try await client.execute(uri: "/inclusion?lang=zh-Hans", method: .get).text
            #expect(page.contains("《深圳市低碳公共出行碳普惠方法学(试行)》") && page.contains("湖北碳排放权交易中心"))
            #expect(!page.contains("Hubei Emission Exchange") && !page.contains("as reported by"))
            // A phone shows the date and source under the methodology's name.
            #expect(page.contains("<small class=\"inline-source\">2021-12-01 · 深圳市生态环境局，《深圳市低碳公共出行碳普惠方法学(试行)》"))
        }
    }
}
