import AirQuality
import ArgumentParser
import CarbonKit
import Foundation

/// `citycarbon bench air`: a sensor network's year of hourly PM2.5 through the checks, the
/// correction and the hourly and daily index, by the same rules the server applies to a sheet.
struct AirBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "air",
        abstract: "Time QA/QC, correction and hourly and daily AQI for a network of low-cost sensors over a year of hourly values.",
        discussion: """
        Makes --sensors dual-channel PM2.5 sensors with humidity, --days days of hours each from
        --from (about 2 % of hours sending nothing, channels that disagree, runs of a stuck value, spikes),
        then takes every sensor's series through the rules (``SensorSeries``): A/B agreement,
        range, stuck values and jumps, the pinned PurpleAir correction with the hour's checked
        humidity, each hour's real-time index and each day's index under the standard of --region
        in force that day (from 2025-09-01 the year crosses China's switch from HJ 633-2012 to
        HJ 633-2026 on 1 March 2026). Sensors are made and processed in chunks on every core; only
        the processing is timed. Prints each run and the medians.
        """
    )

    @Option(help: "Low-cost sensors in the network.") var sensors = 10_000
    @Option(help: "Days of hourly values per sensor.") var days = 365
    @Option(help: "First day, YYYY-MM-DD.") var from = "2025-09-01"
    @Option(help: "The index's region: CN or US.") var region = "CN"
    @Option(help: "Hours the local day is ahead of UTC.") var utcOffsetHours = 8
    @Option(help: "Sensors made and processed together.") var chunk = 500
    @Option(help: "Measured runs.") var runs = 1

    func validate() throws {
        if sensors < 1 || days < 1 || days > 3_660 || chunk < 1 || runs < 1 || !(-12...14).contains(utcOffsetHours) {
            throw ValidationError("--sensors, --chunk and --runs must be at least 1, --days 1 to 3,660, --utc-offset-hours −12 to 14")
        }
        guard let first = Day(from) else { throw ValidationError("--from must be a day like 2025-09-01, not \(from)") }
        for offset in [0, days - 1] where AQIStandards.shipped.inForce(region: region, on: first.adding(days: offset).description) == nil {
            throw ValidationError("no index of region \(region) is in force on \(first.adding(days: offset)); regions: \(AQIStandards.shipped.regions.joined(separator: ", "))")
        }
    }

    /// What one sensor's year came to, kept instead of its hours.
    struct Summary: Sendable {
        var flags: [SensorQC.Flag: Int] = [:]
        var corrected = 0
        var hoursIndexed = 0
        var daysIndexed = 0
        var dailySum = 0
    }

    func run() throws {
        let first = Day(from)!
        let dayStandards = (0..<days).map { AQIStandards.shipped.inForce(region: region, on: first.adding(days: $0).description)! }
        let start = Int64(first.ordinal - Day(year: 1970, month: 1, day: 1)!.ordinal) * 86_400 - Int64(utcOffsetHours) * 3600
        let correction = SensorCorrections.shipped.current
        let values = Double(sensors) * Double(days) * 24
        let versions = Dictionary(grouping: dayStandards, by: \.id).map { "\($0.key) \($0.value.count) days" }.sorted().joined(separator: ", ")
        print("citycarbon bench air: \(GroupedNumber.format(Double(sensors), decimals: 0)) sensors × \(days) days = \(GroupedNumber.format(values, decimals: 0)) hourly values from \(first), \(versions), correction \(correction.id), \(ProcessInfo.processInfo.activeProcessorCount) cores")
        var rates: [Double] = []
        for run in 1...runs {
            var processing = Duration.zero, making = Duration.zero
            var total = Summary()
            for chunkStart in stride(from: 0, to: sensors, by: chunk) {
                let count = min(chunk, sensors - chunkStart)
                let madeAt = ContinuousClock.now
                let series = Self.inParallel(count) { Self.series(sensor: chunkStart + $0, start: start, days: days) }
                let processedAt = ContinuousClock.now
                let summaries = Self.inParallel(count) { index in
                    let outcome = series[index].process(standards: dayStandards, correction: correction)
                    return Summary(flags: outcome.flags, corrected: outcome.corrected, hoursIndexed: outcome.hourly.count { $0 != nil },
                                   daysIndexed: outcome.daily.count { $0 != nil }, dailySum: outcome.daily.reduce(0) { $0 + ($1 ?? 0) })
                }
                processing += ContinuousClock.now - processedAt
                making += processedAt - madeAt
                for summary in summaries {
                    total.flags.merge(summary.flags, uniquingKeysWith: +)
                    total.corrected += summary.corrected
                    total.hoursIndexed += summary.hoursIndexed
                    total.daysIndexed += summary.daysIndexed
                    total.dailySum += summary.dailySum
                }
            }
            let seconds = SensorThingsBench.seconds(processing)
            rates.append(values / seconds)
            let flags = SensorQC.Flag.allCases.map { "\(GroupedNumber.format(Double(total.flags[$0] ?? 0), decimals: 0)) \($0.rawValue)" }
                .joined(separator: ", ")
            print(String(format: "run %d: %@ values checked, corrected and indexed in %.2f s = %@ values/s (making them took %.1f s)",
                         run, GroupedNumber.format(values, decimals: 0), seconds, GroupedNumber.format(values / seconds, decimals: 0),
                         SensorThingsBench.seconds(making)))
            print("  flags: \(flags); \(GroupedNumber.format(Double(total.corrected), decimals: 0)) corrected; hourly index for \(GroupedNumber.format(Double(total.hoursIndexed), decimals: 0)) hours, daily for \(GroupedNumber.format(Double(total.daysIndexed), decimals: 0)) days (mean \(total.daysIndexed > 0 ? total.dailySum / total.daysIndexed : 0))")
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let median = LedgerBench.median(rates)
        print(String(format: "median: %@ values/s, so %.1f s for the network's %@ values; peak memory %.0f MB", GroupedNumber.format(median, decimals: 0),
                     values / median, GroupedNumber.format(values, decimals: 0), Double(usage.ru_maxrss) / 1024))
    }

    /// `count` results of `body`, computed on every core.
    static func inParallel<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        // Each iteration writes its own element only.
        nonisolated(unsafe) let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer {
            results.deinitialize()
            results.deallocate()
        }
        DispatchQueue.concurrentPerform(iterations: count) { results[$0] = body($0) }
        return results.map { $0! }
    }

    /// A sensor's made-up year: a daily cycle around a level of its own, channel B close to A,
    /// and the faults the checks are for, each about as often as in a real network. An hour that
    /// sends nothing has no row to flag, as in a sheet; it shows as an hour without an index.
    static func series(sensor: Int, start: Int64, days: Int) -> SensorSeries {
        var random = SeededRandom(seed: UInt64(sensor) &* 0x9E37_79B9_7F4A_7C15 &+ 1)
        func uniform() -> Double { Double(random.next() >> 11) / Double(1 << 53) }
        let hours = days * 24
        let level = 15 + 40 * uniform()
        var a = [Double?](repeating: nil, count: hours), b = [Double?](repeating: nil, count: hours), rh = [Double?](repeating: nil, count: hours)
        var stuckUntil = -1, stuckValue = 0.0
        for hour in 0..<hours {
            let phase = Double(hour % 24) / 24 * 2 * Double.pi
            let season = 1 + 0.4 * cos(Double(hour) / Double(24 * 365) * 2 * Double.pi)
            rh[hour] = uniform() < 0.01 ? nil : min(99, max(5, 60 + 20 * sin(phase) + 10 * (uniform() - 0.5)))
            if uniform() < 0.02 { continue }
            var value = max(0, level * season * (1 + 0.3 * sin(phase + 1)) * (0.8 + 0.4 * uniform()))
            if stuckUntil < hour, uniform() < 0.001 { (stuckUntil, stuckValue) = (hour + 12, value) }
            if hour <= stuckUntil { value = stuckValue }
            if uniform() < 0.002 { value += 300 }
            a[hour] = value
            // A stuck sensor repeats itself on both channels.
            b[hour] = hour <= stuckUntil ? value : uniform() < 0.003 ? value * 4 + 20 : value * (0.97 + 0.06 * uniform())
        }
        return SensorSeries(start: start, channelA: a, channelB: b, humidity: rh)
    }
}
