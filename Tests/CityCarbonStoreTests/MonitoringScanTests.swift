import CarbonKit
import CarbonMonitoring
import Foundation
import Testing
@testable import CityCarbonStore

@Suite("Scanning meter data for anomalies")
struct MonitoringScanTests {
    /// Four weeks and a day of an office meter: 10 kWh a quarter-hour by day (08–18), 2 at night,
    /// with the last night's 02:00–03:00 at day load.
    func officeWithANightSpike(_ db: CityCarbonDatabase, days: Int = 29) throws -> UnixSeconds {
        let calendar = MonitoringCalendar(utcOffsetMinutes: 480)
        let start = localMidnight - UnixSeconds(days - 1) * 86_400
        var readings: [Reading] = []
        for q in 1...(days * 96) {
            let t = start + UnixSeconds(q * 900)
            let hourOfDay = calendar.slot(ofHour: calendar.hour(endingAt: t)).hourOfDay
            var value = (8..<18).contains(hourOfDay) ? 10.0 : 2.0
            if t > localMidnight + 2 * 3600, t <= localMidnight + 3 * 3600 { value = 10 }
            readings.append(Reading(datastream: "office-1/elec", time: t, value: value + Double(q % 3) * 0.1))
        }
        try ReadingIngestor(db).ingest(readings, actor: "meter", source: "history")
        return localMidnight + 86_400  // the end of the last day: "now"
    }

    @Test func aNightAtDayLoadBecomesOneSpikeAlertAndScanningAgainAddsNothing() throws {
        let db = try monitoringWorkspace()
        let now = try officeWithANightSpike(db)
        let found = try MonitoringRepository(db).scan(now: now)
        let alerts = try MonitoringRepository(db).alerts()
        let spikes = alerts.filter { $0.kind == .spike }
        #expect(spikes.count == 1)
        #expect(spikes.first?.from == localMidnight + 2 * 3600)
        #expect((spikes.first?.observed ?? 0) > 39 && (spikes.first?.expected ?? 0) < 9)
        #expect(found == alerts.count)
        #expect(try MonitoringRepository(db).scan(now: now) == 0)
    }

    @Test func aMeterSilentForAnHourIsMissingAndOneNeverReadIsMissingAnHourAfterItsRegistration() throws {
        let db = try monitoringWorkspace()
        let now = try officeWithANightSpike(db) + 3600
        try MonitoringRepository(db).scan(now: now)
        // The gas register and the plant's meter were registered after that moment: not missing yet.
        #expect(try MonitoringRepository(db).alerts().filter { $0.kind == .missing }.map(\.datastream) == ["office-1/elec"])
        let later = UnixSeconds(Date().timeIntervalSince1970) + 3600
        try MonitoringRepository(db).scan(now: later)
        let missing = try MonitoringRepository(db).alerts().filter { $0.kind == .missing }.map(\.datastream).sorted()
        // The same silence is one alert, not one per scan, and it now lasts until the later scan.
        #expect(missing == ["office-1/elec", "office-1/gas", "plant-1/elec"])
        let office = try MonitoringRepository(db).alerts().first { $0.kind == .missing && $0.datastream == "office-1/elec" }
        #expect(office?.to == later)
    }
}

@Suite("Roll-ups by place and period")
struct MonitoringRollupTests {
    func twoSitesOneDay() throws -> CityCarbonDatabase {
        let db = try monitoringWorkspace()
        var readings: [Reading] = []
        for q in 1...96 {
            readings.append(Reading(datastream: "office-1/elec", time: localMidnight + UnixSeconds(q * 900), value: 10))
            readings.append(Reading(datastream: "plant-1/elec", time: localMidnight + UnixSeconds(q * 900), value: 0.5))  // MWh
        }
        try ReadingIngestor(db).ingest(readings, actor: "meter", source: "day")
        return db
    }

    @Test func theCityIsTheSumOfItsDistrictsAndOfItsSites() throws {
        let db = try twoSitesOneDay()
        let day = Day("2026-11-25")!
        let rollups = MonitoringRollups(db)
        let city = try rollups.rows(level: .city, period: .day, from: day, to: day)
        let districts = try rollups.rows(level: .district, period: .day, from: day, to: day)
        let sites = try rollups.rows(level: .site, period: .day, from: day, to: day)
        #expect(city.count == 1)
        // 960 kWh at the office and 48 MWh at the plant, added in kWh.
        #expect(abs((city[0].consumption["electricity"] ?? 0) - (960 + 48_000)) < 1e-6)
        #expect(abs(districts.reduce(0) { $0 + $1.kgCO2e } - city[0].kgCO2e) < 1e-6)
        #expect(abs(sites.reduce(0) { $0 + $1.kgCO2e } - city[0].kgCO2e) < 1e-6)
        #expect(districts.map(\.key) == ["North", "South"])
    }

    @Test func hoursAddUpToTheDayAndDaysToTheMonth() throws {
        let db = try twoSitesOneDay()
        let day = Day("2026-11-25")!
        let rollups = MonitoringRollups(db)
        for level in [MonitoringRollups.Level.district, .site] {
            let hours = try rollups.rows(level: level, period: .hour, from: day, to: day)
            let days = try rollups.rows(level: level, period: .day, from: day, to: day)
            let month = try rollups.rows(level: level, period: .month, from: Day("2026-11-01")!, to: Day("2026-11-30")!)
            #expect(hours.count == 48)
            #expect(hours.first?.period == "2026-11-25T00")
            #expect(abs(hours.reduce(0) { $0 + $1.kgCO2e } - days.reduce(0) { $0 + $1.kgCO2e }) < 1e-6)
            #expect(month.map(\.period) == ["2026-11", "2026-11"])
            #expect(abs(month.reduce(0) { $0 + $1.kgCO2e } - days.reduce(0) { $0 + $1.kgCO2e }) < 1e-6)
        }
    }

    @Test func anOrganisationsKeySeesOnlyItsOwnSites() throws {
        let db = try twoSitesOneDay()
        let day = Day("2026-11-25")!
        let rows = try MonitoringRollups(db).rows(level: .organisation, period: .day, from: day, to: day, scope: .sites(organisation: "Acme", keys: []))
        #expect(rows.map(\.key) == ["Acme"])
    }

    @Test func sitesByTheHourOverMoreThanAMonthAreRefusedWhileTheCityCostsOnlyWhatDataThereIs() throws {
        let db = try twoSitesOneDay()
        #expect(throws: InputErrors.self) { try MonitoringRollups(db).rows(level: .site, period: .hour, from: Day("2026-10-01")!, to: Day("2026-11-25")!) }
        #expect(try MonitoringRollups(db).rows(level: .city, period: .hour, from: Day("2026-10-01")!, to: Day("2026-11-25")!).count == 24)
        #expect(try MonitoringRollups(db).rows(level: .city, period: .day, from: Day("2026-11-25")!, to: Day("2026-11-01")!).isEmpty)
    }
}

@Suite("Registering sites and datastreams")
struct MonitoringRegistryTests {
    @Test func aDatastreamSheetWithBadRowsNamesEachAndAddsNothing() throws {
        let db = try monitoringWorkspace()
        let before = try MonitoringRegistry(db).datastreams().count
        #expect {
            try MonitoringRegistry(db).importDatastreams(bytes("""
                key,site,quantity,unit,kind,interval_s
                new/gas,office-1,natural_gas,kWh,cumulative,900
                new/elec,office-9,electricity,kWh,interval,900
                new/co2,office-1,co2_concentration,ppm,instantaneous,900
                new/co2,office-1,co2_concentration,ppm,instantaneous,900
                """), file: "streams.csv", actor: "alice")
        } throws: { error in
            let issues = (error as! InputErrors).issues
            return issues.map(\.location.field) == ["unit", "site", "key"] && issues.map(\.location.row) == [2, 3, 5] && issues[0].value == "kWh"
        }
        #expect(try MonitoringRegistry(db).datastreams().count == before)
    }

    @Test func aDatastreamWithReadingsKeepsItsUnit() throws {
        let db = try monitoringWorkspace()
        try ReadingIngestor(db).ingest([Reading(datastream: "office-1/elec", time: localMidnight + 900, value: 1)], actor: "meter", source: "b")
        #expect(throws: InputErrors.self) {
            try MonitoringRegistry(db).importDatastreams(bytes("key,site,quantity,unit,kind,interval_s\noffice-1/elec,office-1,electricity,MWh,interval,900\n"),
                                                         file: "streams.csv", actor: "alice")
        }
    }
}
