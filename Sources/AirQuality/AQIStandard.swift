import Foundation

/// One air-quality index as a standard defines it: breakpoint tables per pollutant and averaging
/// period, how the index is rounded, which tables make the real-time and the daily index, the
/// categories, and the dates it is in force. Read from `Resources/aqi-standards.json`; nothing of
/// it is in code, so a revision (HJ 633-2026, the 2024 US PM2.5 table) is a new entry, and
/// history stays computable under the version that was in force.
public struct AQIStandard: Sendable, Decodable, Equatable {
    public var id: String
    public var title: String
    public var issuer: String
    /// The title and issuer in Chinese, for pages in Chinese.
    public var title_zh: String?
    public var issuer_zh: String?
    public var year: Int
    /// `CN` or `US`: the family a city chooses; the date picks the version.
    public var region: String
    public var effective_from: String
    public var effective_to: String?
    /// `up` (HJ 633: the IAQI is rounded up to a whole number) or `nearest` (US EPA).
    public var index_rounding: Rounding
    /// Decimal places a concentration is truncated to before it is indexed (US EPA); none for HJ 633.
    public var concentration_decimals: [String: Int]
    /// The index above which the pollutants reaching it are named primary.
    public var primary_above: Int
    /// The tables of the hourly (real-time) index and of the daily index.
    public var realtime: [String]
    public var daily: [String]
    public var tables: [String: BreakpointTable]
    public var categories: [Category]
    public var note: String

    public enum Rounding: String, Sendable, Decodable { case up, nearest }

    /// One pollutant and averaging period, e.g. `pm25_24h`: its unit and segments.
    public struct BreakpointTable: Sendable, Decodable, Equatable {
        public var unit: String
        public var segments: [Segment]
        /// Above the last segment, another table is used (HJ 633: SO2 1-hour above 800 µg/m³).
        public var above: Fallback?
    }

    /// Concentrations `c_lo…c_hi` map linearly onto index values `i_lo…i_hi`.
    public struct Segment: Sendable, Decodable, Equatable {
        public var c_lo: Double
        public var c_hi: Double
        public var i_lo: Double
        public var i_hi: Double
    }

    public struct Fallback: Sendable, Decodable, Equatable {
        public var use: String
        public var reason: String
    }

    public struct Category: Sendable, Decodable, Equatable {
        /// The highest index value in the category.
        public var max: Int
        public var level: Int
        public var en: String
        public var zh: String
        public var colour: String
    }

    /// Whether the standard is in force on `day` (`YYYY-MM-DD`).
    public func isInForce(on day: String) -> Bool {
        effective_from <= day && effective_to.map { day <= $0 } ?? true
    }

    /// The category of an index value (values above the scale are in the last category).
    public func category(of index: Int) -> Category {
        categories.first { index <= $0.max } ?? categories[categories.count - 1]
    }

    /// A citation a reader can follow: issuer, title, year.
    public var citation: String { "\(issuer), \(title) (\(year))" }
    /// The citation in Chinese where the standard has one.
    public var citationZh: String { issuer_zh.flatMap { issuer in title_zh.map { "\(issuer)\($0)（\(year)）" } } ?? citation }
}
