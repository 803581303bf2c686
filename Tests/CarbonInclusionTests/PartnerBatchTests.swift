import CarbonKit
import Foundation
import Testing
@testable import CarbonInclusion

@Suite struct PartnerSignatureTests {
    let body = Data(#"{"events":[]}"#.utf8)

    @Test func aSignatureVerifiesOnlyForItsOwnRequest() {
        let signature = PartnerSignature.sign(secret: "s3cret", timestamp: "1765000000", nonce: "nonce-123", method: "POST", path: "/p", body: body)
        #expect(PartnerSignature.verify(secret: "s3cret", timestamp: "1765000000", nonce: "nonce-123", signature: signature, method: "POST",
                                        path: "/p", body: body, now: 1_765_000_100) == nil)
        for (path, payload) in [("/p?x=1", body), ("/p", Data("{}".utf8))] {
            #expect(PartnerSignature.verify(secret: "s3cret", timestamp: "1765000000", nonce: "nonce-123", signature: signature, method: "POST",
                                            path: path, body: payload, now: 1_765_000_100) == .badSignature)
        }
    }

    @Test func anOldTimestampOrAShortNonceIsRefused() {
        let signature = PartnerSignature.sign(secret: "s3cret", timestamp: "1765000000", nonce: "nonce-123", method: "POST", path: "/p", body: body)
        #expect(PartnerSignature.verify(secret: "s3cret", timestamp: "1765000000", nonce: "nonce-123", signature: signature, method: "POST",
                                        path: "/p", body: body, now: 1_765_000_301) == .expired(timestamp: 1_765_000_000, now: 1_765_000_301, tolerance: 300))
        #expect(PartnerSignature.verify(secret: "s3cret", timestamp: "1765000000", nonce: "short", signature: signature, method: "POST",
                                        path: "/p", body: body, now: 1_765_000_000) != nil)
    }
}

@Suite struct PartnerBatchTests {
    func decode(_ json: String) -> Result<[BehaviourEvent], InputErrors> { PartnerBatch.decode(Data(json.utf8), partner: "amap", scheme: "city") }

    @Test func aWellFormedEventIsRead() throws {
        let events = try decode(#"{"events":[{"serial":"s1","account":"did:a","scenario":"metro","started_at":"2026-03-10T08:00:00+08:00","ended_at":"2026-03-10T08:20:00+08:00","evidence":"operator","activity":[{"name":"distance","unit":"km","value":10}]}]}"#).get()
        #expect(events.count == 1 && events[0].startedAt == 1_773_100_800 && events[0].endedAt == 1_773_102_000)
        #expect(events[0].activity[0].value == Micro("10"))
    }

    @Test func eachBadFieldIsNamedByItsPlace() {
        guard case let .failure(errors) = decode(#"{"events":[{"serial":"s 1","account":"did:a","scenario":"metro","started_at":"1999-12-31T23:00:00Z","evidence":"operator","navigation":"yes","activity":[{"name":"distance","unit":"km","value":"0.1234567"}]}]}"#) else {
            Issue.record("accepted")
            return
        }
        #expect(errors.issues.map { $0.location.field } == ["events[0].serial", "events[0].started_at", "events[0].navigation", "events[0].activity[0].value"])
    }

    /// A misspelt field would otherwise be ignored and the event judged without it (a ride without `navigation` is refused).
    @Test func anUnknownFieldIsRefusedByItsPlaceNotIgnored() {
        guard case let .failure(errors) = decode(#"{"events":[{"serial":"s1","account":"did:a","scenario":"cycle","started_at":"2026-03-10T08:00:00+08:00","evidence":"operator","navgation":true,"activity":[{"name":"distance","unit":"km","value":"3","note":"x"}]}]}"#) else {
            Issue.record("accepted")
            return
        }
        #expect(errors.issues.map { $0.location.field } == ["events[0].activity[0].note", "events[0].navgation"])
        guard case let .failure(root) = decode(#"{"events":[],"extra":1}"#) else { Issue.record("accepted"); return }
        #expect(root.issues.first?.location.field == "extra")
    }

    /// Parsers disagree on a repeated key (Foundation keeps the last): a signed post that means two things is refused.
    @Test func aKeyRepeatedInOneObjectIsRefusedEvenWhenEscaped() {
        for body in [#"{"events":[{"serial":"a","account":"did:a","serial":"b"}]}"#, #"{"events":[{"serial":"a","serial":"b"}]}"#] {
            guard case let .failure(errors) = decode(body) else { Issue.record("accepted \(body)"); continue }
            #expect(errors.issues.first?.location.field == "events[0].serial")
        }
    }

    @Test func notJSONOrTooManyEventsIsRefused() {
        guard case let .failure(notJSON) = decode("{\"events\":[\u{FF}]}") else { Issue.record("accepted"); return }
        #expect(notJSON.issues.first?.location.field == "body" && notJSON.issues.first?.reason.contains("byte 11") == true)
        let many = "{\"events\":[" + Array(repeating: "{}", count: PartnerBatch.maximumEvents + 1).joined(separator: ",") + "]}"
        guard case let .failure(errors) = decode(many) else { Issue.record("accepted"); return }
        #expect(errors.issues.first?.location.field == "events")
    }

    @Test func rfc3339TimesWithOffsetsAndFractions() {
        #expect(RFC3339.seconds("1970-01-01T00:00:00Z") == 0)
        #expect(RFC3339.seconds("1970-01-01T08:00:00.250+08:00") == 0)
        #expect(RFC3339.seconds("2026-02-30T00:00:00Z") == nil)
        #expect(RFC3339.seconds("2026-03-10 08:00:00") == nil)
    }
}
