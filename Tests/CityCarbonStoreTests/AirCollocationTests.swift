import AirQuality
import CarbonKit
import CarbonMonitoring
import Foundation
import Testing
@testable import CityCarbonStore

/// Collocations fitted from the stored hours of a low-cost sensor beside a reference monitor.
@Suite("Air collocations")
struct AirCollocationTests {
    /// 2026-01-05T00:00:00Z: a week of hours, before anything is in the future.
    let start: Int64 = 1_767_571_200

    /// Stores `hours` hours where the reference reads 10 + (h mod 20) and the sensor `slope`·reference + `intercept`.
    func store(_ database: CityCarbonDatabase, hours: Int, slope: Double, intercept: Double, parameter: String = "pm10") throws {
        var lines = ["sensor,hour,parameter,value"]
        for h in 0..<hours {
            let reference = 10 + Double(h % 20)
            let hour = Timestamp.iso(start + Int64(h) * 3600)
            lines.append("ref-1,\(hour),\(parameter),\(reference)")
            lines.append("pa-1,\(hour),\(parameter),\(slope * reference + intercept)")
        }
        _ = try AirNetwork(database).load(Array(lines.joined(separator: "\n").utf8), file: "hours.csv", by: "admin")
    }

    @Test func aFitOfAMadeSeriesRecoversItsSlopeAndIsJudgedByEPAsTargets() throws {
        let (database, _) = try AirNetworkTests.network()
        try store(database, hours: 48, slope: 1.5, intercept: 2, parameter: "o3")
        let record = try AirCollocations(database).run(sensor: "pa-1", reference: "ref-1", parameter: .o3, from: start, to: start + 48 * 3600, by: "alice")
        // O3 is judged in ppb: µg/m³ × 24.45 / 48.00 on both sides, so the slope stays and the intercept scales.
        #expect(abs(record.fit.slope - 1.5) < 1e-9 && abs(record.fit.intercept - 2 * 24.45 / 48) < 1e-9 && abs(record.fit.r2 - 1) < 1e-12)
        #expect(record.fit.pairs == 48 && record.unit == "ppb")
        #expect(record.judgements.first { $0.metric == "slope" }?.passes == false && !record.passes)
        let kept = try #require(try AirCollocations(database).list(sensor: "pa-1").first)
        #expect(kept.id == record.id && kept.judgements == record.judgements && kept.createdBy == "alice" && abs(kept.fit.slope - 1.5) < 1e-12)
        #expect(try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM audit_event WHERE action = 'air.collocation'") } == 1)
    }

    @Test func aSensorThatTracksTheReferencePasses() throws {
        let (database, _) = try AirNetworkTests.network()
        try store(database, hours: 24, slope: 1.0, intercept: 0.5, parameter: "pm25")
        let record = try AirCollocations(database).run(sensor: "pa-1", reference: "ref-1", parameter: .pm25, from: start, to: start + 24 * 3600, by: "alice")
        // The sensor's raw value is fitted: with no humidity its hours are not corrected, but they are not flawed either.
        #expect(record.fit.pairs == 24 && abs(record.fit.intercept - 0.5) < 1e-9 && record.passes)
        #expect(throws: InputErrors.self) { _ = try AirCollocations(database).run(sensor: "pa-1", reference: "ref-1", parameter: .pm10, from: start, to: start + 3600, by: "a") }
    }

    @Test func aPairThatIsNotASensorBesideAReferenceIsRefusedNamingTheField() throws {
        let (database, _) = try AirNetworkTests.network()
        let error = #expect(throws: InputErrors.self) {
            _ = try AirCollocations(database).run(sensor: "ref-1", reference: "pa-1", parameter: .pm25, from: start, to: start - 1, by: "a")
        }
        #expect(Set(error?.issues.compactMap(\.location.field) ?? []) == ["reference", "to"])
        let empty = #expect(throws: InputErrors.self) {
            _ = try AirCollocations(database).run(sensor: "pa-1", reference: "ref-1", parameter: .pm25, from: start, to: start + 3600, by: "a")
        }
        #expect(empty?.issues.first?.reason.contains("at least 3") == true)
        let now = Int64(Date().timeIntervalSince1970) / 3600 * 3600
        let future = #expect(throws: InputErrors.self) {
            _ = try AirCollocations(database).run(sensor: "pa-1", reference: "ref-1", parameter: .pm25, from: now - 86_400, to: now + 3 * 86_400, by: "a")
        }
        #expect(future?.issues.first?.reason.contains("after today") == true)
        #expect(try AirCollocations(database).list().isEmpty)
    }

    @Test func aPM25FitBecomesTheSensorsCalibrationAndNamesTheValuesItMakes() throws {
        let (database, _) = try AirNetworkTests.network()
        try store(database, hours: 48, slope: 1.5, intercept: 2, parameter: "pm25")
        let record = try AirCollocations(database).run(sensor: "pa-1", reference: "ref-1", parameter: .pm25, from: start, to: start + 48 * 3600, by: "alice")
        let (calibration, changed) = try AirCollocations(database).apply(record.id, by: "alice")
        #expect(changed && calibration.id == "collocation-\(record.id)" && !calibration.needsHumidity)
        #expect(try AirCollocations(database).apply(record.id, by: "alice").changed == false, "sent again, it changes and records nothing")
        #expect(try AirNetwork(database).sensors().first { $0.code == "pa-1" }?.correction == calibration.id)
        // A new hour without humidity: 32 read is (32 − 2) / 1.5 = 20 in the reference's terms.
        let later = Timestamp.iso(start + 60 * 3600)
        _ = try AirNetwork(database).load(Array("sensor,hour,parameter,value\npa-1,\(later),pm25,32".utf8), file: "later.csv", by: "admin")
        let hour = try #require(try AirNetwork(database).hours(sensors: ["pa-1"], from: start + 60 * 3600, to: start + 61 * 3600).first)
        #expect(abs((hour.value ?? 0) - 20) < 1e-9 && hour.raw == 32 && hour.correction == calibration.id && hour.flags.isEmpty)
        let earlier = try #require(try AirNetwork(database).hours(sensors: ["pa-1"], from: start, to: start + 3600).first)
        #expect(earlier.correction == nil, "hours stored before keep the version they went through")
        #expect(try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM audit_event WHERE action = 'air.calibrate'") } == 1)
        // Registered again with its calibration, the sensor is still valid.
        var sensor = try #require(try AirNetwork(database).sensors().first { $0.code == "pa-1" })
        sensor.name = "Gate"
        try AirNetwork(database).register(sensor, by: "admin")
        // Another sensor cannot take pa-1's line.
        var other = sensor
        (other.code, other.name) = ("pa-77", "Elsewhere")
        let refused = #expect(throws: InputErrors.self) { try AirNetwork(database).register(other, by: "admin") }
        #expect(refused?.issues.first?.location.field == "correction" && refused?.issues.first?.reason.contains("calibration of pa-1") == true)
        #expect(try AirNetwork(database).sensors().contains { $0.code == "pa-77" } == false)
    }

    @Test func aFitThatCannotCalibrateIsRefusedAndChangesNothing() throws {
        let (database, _) = try AirNetworkTests.network()
        try store(database, hours: 48, slope: 1.5, intercept: 2, parameter: "o3")
        let ozone = try AirCollocations(database).run(sensor: "pa-1", reference: "ref-1", parameter: .o3, from: start, to: start + 48 * 3600, by: "alice")
        let refused = #expect(throws: InputErrors.self) { _ = try AirCollocations(database).apply(ozone.id, by: "alice") }
        #expect(refused?.issues.first?.location.field == "collocation" && refused?.issues.first?.reason.contains("only PM2.5") == true)
        #expect(throws: InputErrors.self) { _ = try AirCollocations(database).apply(999, by: "alice") }
        #expect(try AirNetwork(database).sensors().first { $0.code == "pa-1" }?.correction != "collocation-\(ozone.id)")
    }
}
