import AirQuality
import CityCarbonStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import CityCarbonServer

@Suite("Air feeds through the API")
struct AirFeedAPITests {
    let database: CityCarbonDatabase
    let ngo: String

    init() throws {
        database = try AirPagesTests.workspace()
        ngo = try APIKeyRepository(database).create(name: "ngo", role: .integration, organisation: "Clean Air NGO", actor: "admin").secret
        try AirNetwork(database).register(AirSensor(code: "pa-9", name: "School gate", owner: "Clean Air NGO", model: "PurpleAir PA-II",
                                                    grade: .lowCost, latitude: 30.2, longitude: 120.1, correction: "epa-purpleair-2021"), by: "test")
    }

    func post(_ client: some TestClientProtocol, _ uri: String, _ body: String) async throws -> TestResponse {
        try await client.execute(uri: uri, method: .post, headers: [.authorization: "Bearer \(ngo)", .contentType: "application/json"], body: ByteBuffer(string: body))
    }

    @Test func aPurpleAirHistoryIsStoredCheckedAndCorrectedByTheEPAEquation() async throws {
        let hour = Int64(Date().timeIntervalSince1970) / 3600 * 3600 - 3 * 3600
        let history = #"{"average":60,"fields":["time_stamp","humidity","pm2.5_cf_1_a","pm2.5_cf_1_b"],"data":[[\#(hour),50,20,20]]}"#
        try await application(database).test(.router) { client in
            let sent = try await post(client, "/api/v1/air/sensors/pa-9/feed?format=purpleair", history)
            #expect(sent.status == .created, "\(sent.text)")
            #expect(sent.json["hours"]?.number == 2 && sent.json["corrected"]?.number == 1)
        }
        let stored = try #require(try AirNetwork(database).hours(sensors: ["pa-9"], from: hour, to: hour + 3600).first { $0.parameter == .pm25 })
        // Barkjohn et al. 2021: PA 20 µg/m³ at 50 % RH → 0.524·20 − 0.0862·50 + 5.75 = 11.92.
        #expect(abs(try #require(stored.value) - 11.92) < 1e-9 && stored.raw == 20 && stored.correction == "epa-purpleair-2021")
    }

    @Test func anotherOrganisationsSensorAndABadPayloadChangeNothing() async throws {
        let hour = Int64(Date().timeIntervalSince1970) / 3600 * 3600 - 3 * 3600
        let before = try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM air_hour") }
        try await application(database).test(.router) { client in
            let theirs = try await post(client, "/api/v1/air/sensors/station-x/feed?format=purpleair",
                                        #"{"fields":["time_stamp","pm2.5_cf_1_a"],"data":[[\#(hour),5]]}"#)
            #expect(theirs.status == .forbidden, "\(theirs.text)")
            let format = try await post(client, "/api/v1/air/sensors/pa-9/feed?format=airnow", "{}")
            #expect(format.status == .badRequest && format.text.contains("openaq, sensor-community or purpleair"))
            let bad = try await post(client, "/api/v1/air/sensors/pa-9/feed?format=openaq",
                                     #"{"results":[{"value":"x","parameter":{"name":"pm25","units":"µg/m³"},"period":{}}]}"#)
            #expect(bad.status == .badRequest && bad.text.contains("results[0].value"), "\(bad.text)")
            let unknown = try await post(client, "/api/v1/air/sensors/nobody/feed?format=openaq", #"{"results":[]}"#)
            #expect(unknown.status == .badRequest && unknown.text.contains("not a sensor"))
        }
        #expect(try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM air_hour") } == before)
    }
}
