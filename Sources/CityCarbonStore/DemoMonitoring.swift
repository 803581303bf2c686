import CarbonKit
import CarbonMonitoring
import Foundation

/// The demo city's meters: twelve sites, two dozen datastreams, and four weeks of readings up
/// to now, made up (illustrative, not measured) but shaped like real ones: offices busy on
/// weekdays, a hospital that never sleeps, a steel works on shifts, two construction sites doing
/// the same work where one uses half as much energy again. A few faults are planted so the
/// alert rules have something to find: a night spike, a stuck register, a silent meter.
///
/// Values depend only on the datastream and the time, so topping up (while `serve --demo`
/// runs) and re-sending give the same readings, and ingestion stores each once.
public enum DemoMonitoring {
    public static func seed(_ database: CityCarbonDatabase, now: UnixSeconds = UnixSeconds(Date().timeIntervalSince1970), by actor: String = "demo") throws {
        let registry = MonitoringRegistry(database)
        try registry.importSites(try DemoCity.data("monitoring-sites.csv"), file: "demo/monitoring-sites.csv", actor: actor)
        try registry.importDatastreams(try DemoCity.data("monitoring-datastreams.csv"), file: "demo/monitoring-datastreams.csv", actor: actor)
        try topUp(database, now: now, by: actor)
        try MonitoringRepository(database).scan(now: now)
    }

    /// Sends every demo datastream's readings from where it stopped (or four weeks back) up to `now`.
    @discardableResult
    public static func topUp(_ database: CityCarbonDatabase, now: UnixSeconds = UnixSeconds(Date().timeIntervalSince1970), by actor: String = "demo") throws -> Int {
        let calendar = try MonitoringRegistry(database).config().calendar
        let today = calendar.day(endingAt: now + 1)
        let start = calendar.start(ofDay: today.adding(days: -28))
        var readings: [Reading] = []
        for stream in try MonitoringRegistry(database).datastreams() {
            let d = stream.datastream
            let step = UnixSeconds(d.intervalSeconds)
            // The silent meter stopped three hours before the demo was loaded.
            let end = d.key == "hb-office/elec" ? min(now, stream.registeredAt - 3 * 3600) : now
            var t = max(start, (stream.lastTime ?? start - step) + step)
            t = (t + step - 1) / step * step
            while t <= end {
                if let value = value(d, at: t, calendar: calendar, anchor: stream.registeredAt) { readings.append(Reading(datastream: d.key, time: t, value: value)) }
                t += step
            }
        }
        guard !readings.isEmpty else { return 0 }
        return try ReadingIngestor(database).ingest(readings, actor: actor, source: "demo meters").stored
    }

    /// A reading of a demo datastream at `t`: a daily and weekly shape, a little deterministic noise.
    /// The planted faults happen relative to `anchor`, the moment the demo registered the datastream.
    static func value(_ d: Datastream, at t: UnixSeconds, calendar: MonitoringCalendar, anchor: UnixSeconds) -> Double? {
        let hour = calendar.hour(endingAt: t)
        let (weekday, hourOfDay) = calendar.slot(ofHour: hour)
        let weekend = weekday >= 5
        let noise = Double(UInt64(bitPattern: t &* 2_654_435_761 &+ Int64(d.key.utf8.reduce(0) { $0 &* 31 &+ Int($1) })) % 1000) / 1000 - 0.5
        let hours = Double(d.intervalSeconds) / 3600
        let site = d.siteKey
        let office = !weekend && (8..<19).contains(hourOfDay)
        var perHour: Double  // consumption per hour, in the datastream's unit
        switch (site, d.quantity) {
        case ("nb-tower", "electricity"), ("lk-offices", "electricity"), ("hb-office", "electricity"):
            let size = site == "nb-tower" ? 1.0 : site == "lk-offices" ? 0.9 : 0.4
            perHour = size * (office ? 1600 : 420)
            // Planted: the tower's chillers ran flat out for three hours, six to nine hours before the demo began.
            if site == "nb-tower", t > anchor - 9 * 3600, t <= anchor - 6 * 3600 { perHour += 1300 }
        case ("nb-school", "electricity"): perHour = office && hourOfDay < 17 ? 420 : 60
        case ("ot-hotel", "electricity"): perHour = (7..<23).contains(hourOfDay) ? 700 : 450
        case ("hc-hospital", "electricity"): perHour = (8..<20).contains(hourOfDay) ? 2600 : 1900
        case ("ot-community", "electricity"), ("hc-community", "electricity"):
            perHour = ((18..<23).contains(hourOfDay) ? 2600 : (7..<9).contains(hourOfDay) ? 1700 : (0..<6).contains(hourOfDay) ? 600 : 1100) * (site == "ot-community" ? 1 : 0.85)
        case ("eg-steel", "electricity"): perHour = (weekend ? 38 : 55) + 4 * noise
        case ("eg-steel", "natural_gas"): perHour = 2200
        case ("rs-datacentre", "electricity"): perHour = 3100
        case ("rs-datacentre", "pv_generation"):
            let sun = max(0, sin(Double(hourOfDay - 6) / 12 * Double.pi))
            return (420 * sun * hours * (1 + 0.2 * noise) * 100).rounded() / 100
        case ("rs-datacentre", "co2_concentration"): return (560 + 80 * noise + (office ? 120 : 0)).rounded()
        case ("wf-site-a", "electricity"), ("wf-site-b", "electricity"):
            // The same block built by two firms: B runs its site lights and pumps all night.
            let working = !weekend && (7..<19).contains(hourOfDay)
            perHour = site == "wf-site-a" ? (working ? 420 : 40) : (working ? 520 : 230)
        case ("wf-site-a", "diesel"), ("wf-site-b", "diesel"):
            let working = !weekend && (7..<19).contains(hourOfDay)
            perHour = working ? (site == "wf-site-a" ? 48 : 70) : 0
        case ("hc-hospital", "heat"): perHour = (0..<7).contains(hourOfDay) ? 2.2 : 3.4
        case ("hc-community", "water"): perHour = (6..<9).contains(hourOfDay) || (18..<22).contains(hourOfDay) ? 38 : 12
        case (_, "natural_gas"):
            perHour = gasPerHour(site, hourOfDay: hourOfDay)
        default: perHour = 10
        }
        guard d.kind == .cumulative else { return (max(0, perHour * hours * (1 + 0.06 * noise)) * 1000).rounded() / 1000 }
        // A register: what ran since four weeks before the demo began, from a start that makes
        // the tower's gas meter roll over its fifth digit during the month. Planted: the hotel's
        // gas register stuck from eight hours before the demo began.
        let step = UnixSeconds(d.intervalSeconds)
        let origin = calendar.start(ofDay: calendar.day(endingAt: anchor + 1).adding(days: -28))
        let until = d.key == "ot-hotel/gas" ? min(t, (anchor - 8 * 3600) / step * step) : t
        var register: Double = d.key == "nb-tower/gas" ? 99_000 : 12_000
        let dailyTotal = (0..<24).reduce(0.0) { $0 + gasPerHour(site, hourOfDay: $1) }
        let dayStart = calendar.start(ofDay: calendar.day(endingAt: until))
        register += Double((dayStart - origin) / 86_400) * dailyTotal
        var slot = dayStart + step
        while slot <= until {
            register += gasPerHour(site, hourOfDay: calendar.slot(ofHour: calendar.hour(endingAt: slot)).hourOfDay) * hours
            slot += step
        }
        if let rollover = d.rolloverAt { register = register.truncatingRemainder(dividingBy: rollover) }
        return (register * 1000).rounded() / 1000
    }

    /// Gas per hour by the hour of day only, so that a register's daily run is the same every day.
    static func gasPerHour(_ site: String, hourOfDay: Int) -> Double {
        switch site {
        case "ot-hotel": (6..<22).contains(hourOfDay) ? 75 : 40
        case "hc-hospital": (7..<21).contains(hourOfDay) ? 130 : 80
        case "ot-community": (17..<21).contains(hourOfDay) || (6..<8).contains(hourOfDay) ? 160 : 45
        default: (8..<19).contains(hourOfDay) ? 40 : 8
        }
    }
}
