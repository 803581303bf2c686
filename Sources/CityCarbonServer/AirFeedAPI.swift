import AirQuality
import CarbonKit
import CityCarbonStore
import Foundation
import Hummingbird

/// Other networks' payloads pushed by a partner's key: one sensor's OpenAQ v3, Sensor.Community or
/// PurpleAir answer, stored as that sensor's hours (``AirFeed``) within the key's scope.
struct AirFeedAPI: Sendable {
    let database: CityCarbonDatabase

    func addRoutes(to routes: RouteRegistrar) {
        routes.client(.post, "api/v1/air/sensors/:code/feed", .ingestReadings) { request, context, principal in
            let code = try context.parameters.decoded("code")
            let name = request.uri.queryParameters.get("format").map { String($0) } ?? ""
            guard let format = AirFeed.Format(rawValue: name) else {
                throw InputErrors([InputIssue(InputLocation(field: "format"), value: name, reason: "is openaq, sensor-community or purpleair")])
            }
            var seconds: Int?
            if let text = request.uri.queryParameters.get("sample_seconds") {
                guard let value = Int(text), (1...3600).contains(value) else {
                    throw InputErrors([InputIssue(InputLocation(field: "sample_seconds"), value: String(text), reason: "is a whole number from 1 to 3600")])
                }
                seconds = value
            }
            let body = try await FormData.body(of: request, limit: BodyLimit.upload)
            let result = try AirNetwork(database).load(feed: format, [UInt8](body.readableBytesView), sensor: code, sampleSeconds: seconds,
                                                       scope: principal.monitoringScope, by: principal.actor)
            return JSONValue.object([
                ("sensor", .string(code)), ("format", .string(format.rawValue)), ("hours", .integer(result.loaded.hours)),
                ("flagged", .integer(result.loaded.flagged)), ("corrected", .integer(result.loaded.corrected)),
                ("incomplete_hours", .integer(result.incompleteHours)),
                ("skipped", .object(result.skipped.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.integer($0.value)) })),
            ]).httpResponse(status: .created)
        }
    }
}
