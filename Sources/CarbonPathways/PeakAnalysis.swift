/// When emissions peak, and when they reach zero.
///
/// The rule for a peak, stated once: the peak is the first year of the highest value. The
/// plateau is the run of years around it within `tolerance` (2 % by default) of that value.
/// Emissions have **peaked** when, after the plateau, they fall below it and the series
/// ends there; if the series is still on the plateau in its last year, it is **on a
/// plateau** (the peak is not yet confirmed); if the highest value is the last year, they
/// have **not peaked**.
public struct Peak: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable { case peaked, plateau, notPeaked = "not_peaked" }

    public var status: Status
    public var year: Int
    public var value: Double
    public var plateauFrom: Int
    public var plateauTo: Int

    /// `nil` for an empty series.
    public init?(_ series: [(year: Int, value: Double)], tolerance: Double = 0.02) {
        guard let first = series.first else { return nil }
        var top = 0
        for i in series.indices where series[i].value > series[top].value { top = i }
        let peakValue = series[top].value
        let band = peakValue - abs(peakValue) * tolerance
        var from = top, to = top
        while from > 0, series[from - 1].value >= band { from -= 1 }
        while to < series.count - 1, series[to + 1].value >= band { to += 1 }
        _ = first
        year = series[top].year
        value = peakValue
        plateauFrom = series[from].year
        plateauTo = series[to].year
        status = top == series.count - 1 ? .notPeaked : to == series.count - 1 ? .plateau : .peaked
    }

    /// Peaked in or before `year`.
    public func peaked(by year: Int) -> Bool { status == .peaked && self.year <= year }
}

/// C40's test of whether a city's observed emissions have peaked (C40 2019; repository
/// ojwills/City-Emissions-Peaking-Analysis): at least three years of data; the peak more
/// than five years before the latest year; the latest year at most five years old; the
/// peak more than 10 % above the latest value.
public enum ObservedPeakStatus: String, Sendable, Hashable, Codable {
    case peaked, notPeaked = "not_peaked", unknown

    public static func assess(_ observations: [(year: Int, value: Double)], asOf currentYear: Int) -> ObservedPeakStatus {
        let series = observations.sorted { $0.year < $1.year }
        guard let latest = series.last else { return .unknown }
        let enoughData = series.count >= 3
        let recent = currentYear - latest.year <= 5
        guard let top = series.max(by: { $0.value < $1.value }) else { return .unknown }
        let longAgo = latest.year - top.year > 5
        let wellAbove = top.value > latest.value * 1.10
        if enoughData, recent, longAgo, wellAbove { return .peaked }
        if enoughData, recent, !longAgo, !wellAbove { return .notPeaked }
        return .unknown
    }
}

public enum ZeroCrossing {
    /// The first year whose value is at or below zero (within `tolerance` of it).
    public static func firstYear(_ series: [(year: Int, value: Double)], tolerance: Double = 0) -> Int? {
        series.first { $0.value <= tolerance }?.year
    }
}
