import Testing
@testable import CarbonMonitoring

@Suite("Anomalies and peer comparison")
struct AnomalyTests {
    let calendar = MonitoringCalendar(utcOffsetMinutes: 480)
    /// Monday 2026-11-02 00:00 +08:00 as an hour index.
    var monday: Int64 { calendar.hour(endingAt: Timestamp.parse("2026-11-02T01:00:00+08:00")!) }

    /// An office: 10 kWh at night, 50 kWh from 08:00 to 18:00, with a little noise, for `weeks` weeks.
    func office(weeks: Int) -> [(hour: Int64, value: Double)] {
        (0..<(weeks * 168)).map { i in
            let hourOfDay = i % 24
            let base = (8..<18).contains(hourOfDay) ? 50.0 : 10.0
            return (monday + Int64(i), base + Double((i * 7) % 5) * 0.4)
        }
    }

    @Test func theBaselineIsTheMedianOfEachHourOfTheWeek() {
        let baseline = Baseline(hourly: office(weeks: 4), calendar: calendar)
        let nineAM = baseline.slot(ofHour: monday + 9, calendar: calendar)!
        #expect(nineAM.samples == 4)
        #expect(nineAM.median >= 50 && nineAM.median <= 51.6)
        #expect(baseline.slot(ofHour: monday + 3, calendar: calendar)!.median < 12)
    }

    @Test func aNightAtDaytimeLoadIsASpike() {
        let baseline = Baseline(hourly: office(weeks: 4), calendar: calendar)
        let nextWeek = monday + 4 * 168
        let spikes = AnomalyDetector.spikes(hourly: [(nextWeek + 2, 48), (nextWeek + 9, 52)], baseline: baseline, calendar: calendar)
        #expect(spikes.count == 1)
        #expect(spikes[0].kind == .spike)
        #expect(spikes[0].from == calendar.start(ofHour: nextWeek + 2))
        #expect(spikes[0].observed == 48)
    }

    @Test func ordinaryVariationIsNotASpike() {
        let baseline = Baseline(hourly: office(weeks: 4), calendar: calendar)
        let nextWeek = Array(office(weeks: 5).suffix(168))
        #expect(AnomalyDetector.spikes(hourly: nextWeek, baseline: baseline, calendar: calendar).isEmpty)
    }

    @Test func aStuckMeterReadingTheSameHourAfterHourIsAFlatline() {
        let baseline = Baseline(hourly: office(weeks: 4), calendar: calendar)
        let day = monday + 4 * 168
        let stuck = (0..<24).map { (day + Int64($0), $0 >= 6 && $0 < 14 ? 33.0 : office(weeks: 1)[$0].value) }
        let found = AnomalyDetector.flatlines(hourly: stuck, baseline: baseline, calendar: calendar)
        #expect(found.count == 1)
        #expect(found[0].from == calendar.start(ofHour: day + 6))
        #expect(found[0].to == calendar.start(ofHour: day + 14))
    }

    @Test func aQuietNightThatIsAlwaysQuietIsNotAFlatline() {
        let steady = (0..<(4 * 168)).map { (monday + Int64($0), 0.0) }
        let baseline = Baseline(hourly: steady, calendar: calendar)
        #expect(AnomalyDetector.flatlines(hourly: Array(steady.suffix(24)), baseline: baseline, calendar: calendar).isEmpty)
    }

    @Test func aMeterSilentForFourIntervalsIsMissing() {
        #expect(AnomalyDetector.missing(lastReading: 9000, since: 0, intervalSeconds: 900, now: 9000 + 3599) == nil)
        let found = AnomalyDetector.missing(lastReading: 9000, since: 0, intervalSeconds: 900, now: 9000 + 3600)
        #expect(found?.kind == .missing)
        #expect(found?.from == 9000)
    }

    @Test func ofTwoSitesDoingTheSameWorkTheWastefulOneStandsOut() {
        // Two construction sites building the same floor area; B uses half as much again.
        let entries = IntensityBenchmark.rank([
            .init(siteKey: "site-A", peerGroup: "construction_site/residential", amount: 120_000, denominator: 24_000),
            .init(siteKey: "site-B", peerGroup: "construction_site/residential", amount: 180_000, denominator: 24_000),
        ])
        let b = entries.first { $0.siteKey == "site-B" }!
        let a = entries.first { $0.siteKey == "site-A" }!
        #expect(a.rank == 1 && b.rank == 2)
        #expect(b.intensity == 7.5)
        #expect(b.ratioToPeers == 1.5)
        #expect(b.isOutlier && !a.isOutlier)
    }

    @Test func sitesAreOnlyComparedWithinTheirPeerGroup() {
        let entries = IntensityBenchmark.rank([
            .init(siteKey: "office", peerGroup: "building/office", amount: 100, denominator: 1),
            .init(siteKey: "hospital", peerGroup: "building/hospital", amount: 400, denominator: 1),
            .init(siteKey: "no-area", peerGroup: "building/office", amount: 400, denominator: 0),
        ])
        #expect(entries.count == 2)
        #expect(entries.allSatisfy { $0.rank == 1 && $0.peerMedian == nil && !$0.isOutlier })
    }
}
