import Foundation

/// The index standards the platform ships (`Resources/aqi-standards.json`) and the rule for which
/// one applies: the version of a region in force on the day the concentration is for.
public struct AQIStandards: Sendable, Decodable {
    public var source: String
    public var standards: [AQIStandard]

    /// The shipped standards; the file is part of the build, so one that does not decode is a broken build.
    public static let shipped: AQIStandards = ShippedData.load("aqi-standards")

    public func standard(_ id: String) -> AQIStandard? { standards.first { $0.id == id } }

    /// The version of `region`'s index in force on `day` (`YYYY-MM-DD`), e.g. HJ 633-2012 on
    /// 2026-02-28 and HJ 633-2026 on 2026-03-01.
    public func inForce(region: String, on day: String) -> AQIStandard? {
        standards.first { $0.region == region && $0.isInForce(on: day) }
    }

    /// The regions with an index.
    public var regions: [String] { Array(Set(standards.map(\.region))).sorted() }

    /// What is wrong with the tables as data: segments out of order or overlapping, a table a
    /// rule names that does not exist, versions of a region whose dates overlap or leave a gap.
    /// Tests keep this empty.
    public var problems: [String] {
        var found: [String] = []
        for standard in standards {
            for (name, table) in standard.tables {
                for (index, segment) in table.segments.enumerated() {
                    if !(segment.c_lo < segment.c_hi) || !(segment.i_lo < segment.i_hi) {
                        found.append("\(standard.id) \(name) segment \(index + 1) does not rise")
                    }
                    if index > 0, segment.c_lo < table.segments[index - 1].c_hi {
                        found.append("\(standard.id) \(name) segment \(index + 1) overlaps the one before")
                    }
                }
                if let fallback = table.above, standard.tables[fallback.use] == nil {
                    found.append("\(standard.id) \(name) falls back to missing \(fallback.use)")
                }
            }
            for name in standard.realtime + standard.daily where standard.tables[name] == nil {
                found.append("\(standard.id) names missing table \(name)")
            }
            if standard.categories.map(\.max) != standard.categories.map(\.max).sorted() {
                found.append("\(standard.id) categories out of order")
            }
        }
        for region in regions {
            let versions = standards.filter { $0.region == region }.sorted { $0.effective_from < $1.effective_from }
            for (earlier, later) in zip(versions, versions.dropFirst()) {
                guard let end = earlier.effective_to, let next = Self.day(after: end) else {
                    found.append("\(earlier.id) has no end but \(later.id) follows it")
                    continue
                }
                if next != later.effective_from { found.append("\(earlier.id) ends \(end) but \(later.id) starts \(later.effective_from)") }
            }
            if versions.last?.effective_to != nil { found.append("region \(region) has no version in force now") }
        }
        return found
    }

    static func day(after day: String) -> String? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let formatter = DateFormatter()
        formatter.calendar = calendar
        formatter.timeZone = calendar.timeZone
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd"
        guard let date = formatter.date(from: day), let next = calendar.date(byAdding: .day, value: 1, to: date) else { return nil }
        return formatter.string(from: next)
    }
}
