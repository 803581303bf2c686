import CarbonKit
import Testing
@testable import CarbonMonitoring

@Suite("SensorThings batch requests")
struct STABatchTests {
    @Test func aRequestsURLMayStartAtTheServiceRootOrBelowIt() throws {
        let batch = try STABatch.read(Array(#"{"requests":[{"id":"a","method":"GET","url":"http://h/sta/v1.1/Things"},{"id":"b","method":"get","url":"/sta/v1.1/Things(1)"},{"id":"c","method":"get","url":"Sensors"}]}"#.utf8),
                                      roots: ["http://h/sta/v1.1", "/sta/v1.1"])
        #expect(batch.requests.map(\.url) == ["Things", "Things(1)", "Sensors"])
        #expect(batch.requests.map(\.method) == ["GET", "GET", "GET"])
    }

    @Test func aReferenceToAnEarlierRequestBecomesTheEntityItCreated() {
        #expect(STABatch.resolve("$new/Datastreams?$top=1", created: ["new": "Things('pa-1')"]) == "Things('pa-1')/Datastreams?$top=1")
        #expect(STABatch.resolve("$new", created: [:]) == nil)
        #expect(STABatch.resolve("Things", created: [:]) == "Things")
    }

    @Test func aBodyIsSentOnAsJSON() throws {
        let batch = try STABatch.read(Array(#"{"requests":[{"id":"a","method":"patch","url":"Things('x')","body":{"name":"é"},"headers":{"Content-Type":"application/json-patch+json"}}]}"#.utf8),
                                      roots: [])
        #expect(String(decoding: batch.requests[0].body, as: UTF8.self) == #"{"name":"é"}"#)
        #expect(batch.requests[0].contentType == "application/json-patch+json")
    }

    @Test func aHeaderIsText() {
        #expect(throws: InputErrors.self) {
            try STABatch.read(Array(#"{"requests":[{"id":"a","method":"get","url":"Things","headers":{"x-other":{}}}]}"#.utf8), roots: [])
        }
    }

    @Test func dependsOnNamesOnlyEarlierRequests() {
        #expect(throws: InputErrors.self) {
            try STABatch.read(Array(#"{"requests":[{"id":"a","method":"get","url":"Things","dependsOn":["b"]},{"id":"b","method":"get","url":"Things"}]}"#.utf8), roots: [])
        }
    }
}
