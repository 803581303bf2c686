/// One low-cost PM2.5 sensor's hours over a span of whole local days, held as columns (one slot
/// per hour, nil where no value came) and taken through the same rules as rows are:
/// ``SensorQC/combine(a:b:)`` for the A/B channels, ``SensorQC/check(_:parameter:)`` over the
/// series, the sensor's ``SensorCorrection`` with the hour's checked humidity, then each hour's
/// real-time index and each day's index by ``DailyAirQuality/hourValue(_:averaging:qc:)``,
/// ``DailyAirQuality/dayValue(_:averaging:qc:)`` and ``AirQualityIndex/subIndex(_:_:standard:others:)``
/// under the standard in force that day. A network's year is a hundred million such hours
/// (`citycarbon bench air`), so nothing here allocates per hour.
public struct SensorSeries: Sendable {
    /// The first hour, Unix seconds at a local midnight.
    public var start: Int64
    public var channelA: [Double?]
    /// The second channel of a dual-channel sensor; nil for a single-channel one.
    public var channelB: [Double?]?
    public var humidity: [Double?]

    public init(start: Int64, channelA: [Double?], channelB: [Double?]?, humidity: [Double?]) {
        precondition(channelA.count % 24 == 0 && humidity.count == channelA.count && (channelB?.count ?? channelA.count) == channelA.count,
                     "whole days of hourly slots, the same for every column")
        (self.start, self.channelA, self.channelB, self.humidity) = (start, channelA, channelB, humidity)
    }

    /// What the rules made of the series.
    public struct Outcome: Sendable, Equatable {
        /// The PM2.5 value used each hour: corrected, or nil when a check flagged it.
        public var values: [Double?]
        /// Flags raised on PM2.5 hours that had a reading, by flag.
        public var flags: [SensorQC.Flag: Int]
        /// Hours whose value went through the correction.
        public var corrected: Int
        /// Each hour's real-time PM2.5 sub-index; nil when the window is too incomplete.
        public var hourly: [Int?]
        /// Each day's PM2.5 sub-index; nil when the day is too incomplete.
        public var daily: [Int?]
    }

    /// The PM2.5 table a kind of index uses in `standard`, with its averaging hours; nil when none.
    static func table(_ kind: AirQualityIndex.Kind, in standard: AQIStandard) -> (name: String, hours: Int)? {
        let names = kind == .realtime ? standard.realtime : standard.daily
        for name in names {
            if let (parameter, hours) = DailyAirQuality.parse(name), parameter == .pm25 { return (name, hours) }
        }
        return nil
    }

    /// Runs the rules. `standards` holds the standard in force on each day of the series (the
    /// caller works it out once for a network, ``AQIStandards/inForce(region:on:)``).
    public func process(standards: [AQIStandard], correction: SensorCorrection?, qc: SensorQC = .shipped) -> Outcome {
        let hours = channelA.count, days = hours / 24
        precondition(standards.count == days, "one standard per day")
        var flags: [SensorQC.Flag: Int] = [:]
        func count(_ flag: SensorQC.Flag) { flags[flag, default: 0] += 1 }
        // A/B agreement first; a value it refuses keeps that reason.
        var combined: [SensorQC.Checked] = []
        combined.reserveCapacity(hours)
        for hour in 0..<hours {
            let a = channelA[hour]
            // A second channel is compared when it came, as a row with `value_b` is.
            if let b = channelB?[hour] {
                combined.append(qc.combine(a: a, b: b))
            } else {
                combined.append(SensorQC.Checked(raw: a, value: a, flags: a == nil ? [.missing] : []))
            }
        }
        let overSeries = qc.check(combined.map(\.value), parameter: AirParameter.pm25.rawValue)
        let humidityChecked = qc.check(humidity, parameter: AirParameter.rh.rawValue)
        var values = [Double?](repeating: nil, count: hours)
        var corrected = 0
        for hour in 0..<hours {
            let came = channelA[hour] != nil || channelB?[hour] != nil
            var check = combined[hour]
            if check.flags.isEmpty { check = overSeries[hour] }
            guard came else { continue }
            for flag in check.flags { count(flag) }
            guard var value = check.value else { continue }
            if let correction {
                // A low-cost PM2.5 value needs its hour's humidity to be corrected; without it, it is not used.
                guard let rh = humidityChecked[hour].value, let fixed = correction.apply(pm: value, relativeHumidity: rh) else {
                    count(.noHumidity)
                    continue
                }
                value = fixed
                corrected += 1
            }
            values[hour] = value
        }
        var hourly = [Int?](repeating: nil, count: hours), daily = [Int?](repeating: nil, count: days)
        // The window before the first hour is empty: the first day's early hours have fewer values.
        let padded = [Double?](repeating: nil, count: 23) + values
        // The tables are read off a standard once, not once a day.
        var tables: (id: String, realtime: (name: String, hours: Int)?, daily: (name: String, hours: Int)?)?
        for day in 0..<days {
            let standard = standards[day]
            if tables?.id != standard.id { tables = (standard.id, Self.table(.realtime, in: standard), Self.table(.daily, in: standard)) }
            if let (name, averaging) = tables?.realtime {
                for hour in (day * 24)..<(day * 24 + 24) {
                    guard let mean = DailyAirQuality.hourValue(padded[hour..<(hour + 24)], averaging: averaging, qc: qc) else { continue }
                    hourly[hour] = try? AirQualityIndex.subIndex(name, mean, standard: standard).get().value
                }
            }
            if let (name, averaging) = tables?.daily,
               let mean = DailyAirQuality.dayValue(values[(day * 24)..<(day * 24 + 24)], averaging: averaging, qc: qc) {
                daily[day] = try? AirQualityIndex.subIndex(name, mean, standard: standard).get().value
            }
        }
        return Outcome(values: values, flags: flags, corrected: corrected, hourly: hourly, daily: daily)
    }
}
