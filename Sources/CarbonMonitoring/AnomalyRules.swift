/// The thresholds of the anomaly rules: operating settings a city tunes, not published constants.
public struct AnomalyRules: Sendable, Hashable, Codable {
    /// A spike is at least this many spreads above the slot's median …
    public var spikeSpreads: Double = 4
    /// … and at least this multiple of it, so tiny absolute wiggles on a quiet meter do not alarm.
    public var spikeRatio: Double = 1.5
    /// Hours of identical consumption before a flat line is reported.
    public var flatlineHours: Int = 6
    /// A datastream is missing once this many of its intervals have passed with no reading.
    public var missingIntervals: Int = 4

    public init() {}
}

/// Applies ``AnomalyRules`` to a datastream's hourly consumption against its ``Baseline``.
public enum AnomalyDetector {
    /// Spikes: hours whose consumption is far above the same hour of a typical week.
    public static func spikes(hourly: [(hour: Int64, value: Double)], baseline: Baseline, calendar: MonitoringCalendar,
                              rules: AnomalyRules = AnomalyRules()) -> [Anomaly] {
        hourly.compactMap { hour, value in
            guard let slot = baseline.slot(ofHour: hour, calendar: calendar) else { return nil }
            // A slot with no spread at all still needs a floor: a tenth of its median.
            let spread = max(slot.spread, 0.1 * abs(slot.median))
            guard value > slot.median + rules.spikeSpreads * spread, value >= rules.spikeRatio * slot.median, value > 0 else { return nil }
            let start = calendar.start(ofHour: hour)
            return Anomaly(kind: .spike, from: start, to: start + 3600, observed: value, expected: slot.median)
        }
    }

    /// Flat lines: runs of at least `rules.flatlineHours` consecutive hours with the same
    /// consumption, where the baseline says those hours normally differ or are not idle.
    public static func flatlines(hourly: [(hour: Int64, value: Double)], baseline: Baseline?, calendar: MonitoringCalendar,
                                 rules: AnomalyRules = AnomalyRules()) -> [Anomaly] {
        var found: [Anomaly] = []
        var runStart = 0
        func closeRun(_ end: Int) {
            let run = hourly[runStart..<end]
            guard run.count >= rules.flatlineHours, let first = run.first, let last = run.last,
                  last.hour - first.hour == Int64(run.count - 1) else { return }
            let expected = run.compactMap { baseline?.slot(ofHour: $0.hour, calendar: calendar)?.median }
            let normallyVaries = Set(expected).count > 1 || (expected.first ?? 0) != first.value
            // Without a baseline, only a stuck non-zero value is suspicious (idle hours read zero).
            guard baseline == nil ? first.value != 0 : normallyVaries else { return }
            found.append(Anomaly(kind: .flatline, from: calendar.start(ofHour: first.hour), to: calendar.start(ofHour: last.hour) + 3600,
                                 observed: first.value, expected: expected.isEmpty ? nil : expected.reduce(0, +) / Double(expected.count)))
        }
        for i in hourly.indices.dropFirst() {
            if hourly[i].value != hourly[i - 1].value || hourly[i].hour != hourly[i - 1].hour + 1 {
                closeRun(i)
                runStart = i
            }
        }
        if !hourly.isEmpty { closeRun(hourly.count) }
        return found
    }

    /// Missing: the datastream's last reading is older than `rules.missingIntervals` intervals.
    public static func missing(lastReading: UnixSeconds?, since registered: UnixSeconds, intervalSeconds: Int, now: UnixSeconds,
                               rules: AnomalyRules = AnomalyRules()) -> Anomaly? {
        let last = lastReading ?? registered
        guard now - last >= Int64(rules.missingIntervals * intervalSeconds) else { return nil }
        return Anomaly(kind: .missing, from: last, to: now)
    }
}
