import CarbonKit
import Testing
@testable import CarbonMonitoring

@Suite("Ingestion payloads")
struct PayloadTests {
    @Test func csvReadsColumnsInAnyOrder() throws {
        let csv = "value,time,datastream\n12.5,2026-11-25T08:15:00+08:00,elec-main\n3,1795565700,gas-1\n"
        let readings = try ReadingCSV.parse(Array(csv.utf8), file: "r.csv")
        #expect(readings == [Reading(datastream: "elec-main", time: 1_795_565_700, value: 12.5),
                             Reading(datastream: "gas-1", time: 1_795_565_700, value: 3)])
    }

    @Test func csvErrorsNameTheRowColumnAndValue() {
        let csv = "datastream,time,value\nelec-main,2026-11-25T08:15:00+08:00,12.5\nelec-main,yesterday,1\nelec-main,2026-11-25T08:30:00Z,0x1F\n"
        #expect {
            try ReadingCSV.parse(Array(csv.utf8), file: "r.csv")
        } throws: { error in
            let issues = (error as! InputErrors).issues
            return issues.count == 2
                && issues[0].location == InputLocation(file: "r.csv", row: 3, column: 2, field: "time") && issues[0].value == "yesterday"
                && issues[1].location == InputLocation(file: "r.csv", row: 4, column: 3, field: "value") && issues[1].value == "0x1F"
        }
    }

    @Test func csvWithoutTheRequiredColumnsIsRefused() {
        #expect(throws: InputErrors.self) { try ReadingCSV.parse(Array("meter,when,kwh\na,b,1\n".utf8), file: "r.csv") }
    }

    @Test func senmlCarriesBaseNameTimeAndValueForward() throws {
        // RFC 8428 §5.1.2-style pack: base name and base time, then relative records.
        let pack = #"[{"bn":"urn:dev:ow:10e2073a01080063/","bt":1.7955657e9,"bu":"kWh","n":"import","v":12.5},{"n":"import","t":900,"v":11},{"n":"export","u":"Wh","t":900,"v":300}]"#
        let entries = try SenML.parse(Array(pack.utf8), file: "pack", now: 0)
        #expect(entries.map(\.reading) == [
            Reading(datastream: "urn:dev:ow:10e2073a01080063/import", time: 1_795_565_700, value: 12.5),
            Reading(datastream: "urn:dev:ow:10e2073a01080063/import", time: 1_795_566_600, value: 11),
            Reading(datastream: "urn:dev:ow:10e2073a01080063/export", time: 1_795_566_600, value: 300),
        ])
        #expect(entries.map(\.unit) == ["kWh", "kWh", "Wh"])
    }

    @Test func senmlTimesBelowTwoToThe28AreRelativeToNow() throws {
        let entries = try SenML.parse(Array(#"[{"n":"co2","u":"ppm","v":415,"t":-60}]"#.utf8), file: "pack", now: 1_795_565_700)
        #expect(entries[0].reading.time == 1_795_565_640)
    }

    @Test func senmlStringValuesCannotBeMetered() {
        #expect(throws: InputErrors.self) { try SenML.parse(Array(#"[{"n":"door","vs":"open"}]"#.utf8), file: "pack", now: 0) }
    }

    @Test func senmlRefusesAFieldItMustUnderstandButDoesNot() {
        // RFC 8428 §4.4: a label ending in "_" must not be ignored by a reader that lacks it.
        #expect {
            try SenML.parse(Array(#"[{"n":"import","v":12.5,"t":1.7955657e9,"ma_":"x"}]"#.utf8), file: "pack", now: 0)
        } throws: { error in
            (error as! InputErrors).issues.first?.location.field == "[0].ma_"
        }
        // An unknown label without the underscore is an extension a reader may ignore.
        #expect((try? SenML.parse(Array(#"[{"n":"import","v":12.5,"t":1.7955657e9,"ma":"x"}]"#.utf8), file: "pack", now: 0))?.count == 1)
    }

    @Test func aSenmlRecordWithOnlyASumIsARegisterRead() throws {
        let entries = try SenML.parse(Array(#"[{"bn":"gas/","bs":1000,"n":"register","s":234.5,"t":1.7955657e9}]"#.utf8), file: "pack", now: 0)
        #expect(entries.map(\.reading) == [Reading(datastream: "gas/register", time: 1_795_565_700, value: 1234.5)])
    }

    @Test func aSenmlValueBeyondADoubleIsRefused() {
        #expect(throws: InputErrors.self) { try SenML.parse(Array(#"[{"n":"import","v":1e308,"bv":1e308,"t":1.7955657e9}]"#.utf8), file: "pack", now: 0) }
    }

    @Test func sensorThingsDataArraysBecomeObservations() throws {
        let body = #"""
        [{"Datastream":{"@iot.id":7},"components":["phenomenonTime","result"],"dataArray@iot.count":2,
          "dataArray":[["2026-11-25T00:00:00Z/2026-11-25T00:15:00Z",12.5],["2026-11-25T00:30:00Z",11]]}]
        """#
        let observations = try SensorThings.createObservations(Array(body.utf8))
        #expect(observations == [[.init(datastream: .integer(7), time: 1_795_565_700, result: 12.5, start: 1_795_564_800),
                                   .init(datastream: .integer(7), time: 1_795_566_600, result: 11)]])
    }

    @Test func anAirSensorsObservationNamesItsStreamByTextAndMayCarryASecondChannel() throws {
        let one = try SensorThings.observation(Array(#"{"phenomenonTime":"2026-03-01T08:00:00+08:00","result":41.5,"Datastream":{"@iot.id":"pa-1:pm25"},"parameters":{"value_b":43}}"#.utf8))
        #expect(one == .init(datastream: .text("pa-1:pm25"), time: 1_772_323_200, result: 41.5, resultB: 43))
        #expect(one.datastreamID == nil)
        #expect(try SensorThings.observation(Array(#"{"phenomenonTime":"2026-03-01T00:00:00Z","result":1,"Datastream":{"@iot.id":"12"}}"#.utf8)).datastreamID == 12)
        #expect(throws: InputErrors.self) {
            try SensorThings.observation(Array(#"{"phenomenonTime":"2026-03-01T00:00:00Z","result":1,"Datastream":{"@iot.id":""}}"#.utf8))
        }
    }

    @Test func aSensorThingsRowWithTextForAResultIsNamed() {
        let body = #"[{"Datastream":{"@iot.id":7},"components":["result","phenomenonTime"],"dataArray":[[1,"2026-11-25T00:15:00Z"],["high","2026-11-25T00:30:00Z"]]}]"#
        #expect {
            try SensorThings.createObservations(Array(body.utf8))
        } throws: { error in
            (error as! InputErrors).issues.first?.location.field == "[0].dataArray[1][0]"
        }
    }
}
