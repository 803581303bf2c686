/// Serial numbers of other registries, read so that units arriving from them keep their identity.
public enum SerialNumberFormats {
    /// A Verra Verified Carbon Unit range, e.g.
    /// `7331-385170050-385170149-VCU-013-MER-CN-14-1718-01012016-31122016-0`.
    public struct VerraRange: Sendable, Equatable {
        public var issuance: Int64
        public var first: Int64
        public var last: Int64
        public var unit: String
        public var country: String
        public var scope: Int
        public var project: Int
        /// `DDMMYYYY` first and last day of the vintage.
        public var vintageStart: String
        public var vintageEnd: String
        public var units: Int64 { last - first + 1 }
    }

    /// Nil unless `text` has the twelve dash-separated fields of a Verra serial with a valid range.
    public static func verra(_ text: String) -> VerraRange? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 12, let issuance = Int64(parts[0]), let first = Int64(parts[1]), let last = Int64(parts[2]),
              first >= 1, last >= first, UnitName.isValid(parts[3]), parts[6].count == 2,
              let scope = Int(parts[7]), let project = Int(parts[8]),
              isDDMMYYYY(parts[9]), isDDMMYYYY(parts[10]) else { return nil }
        return VerraRange(issuance: issuance, first: first, last: last, unit: parts[3], country: parts[6], scope: scope,
                          project: project, vintageStart: parts[9], vintageEnd: parts[10])
    }

    private static func isDDMMYYYY(_ text: String) -> Bool {
        guard text.count == 8, text.allSatisfy(\.isASCII), let value = Int(text) else { return false }
        let day = value / 1_000_000, month = value / 10_000 % 100
        return (1...31).contains(day) && (1...12).contains(month)
    }

    /// A serial in the UNDP National Carbon Registry's format,
    /// `<country>-<unit>-<sector scope>-<programme>-<year>-0-<first>-<last>`, e.g. `VU-ITMO-11-356-2022-0-27-35`.
    public struct UNDPSerial: Sendable, Equatable {
        public var country: String
        public var unit: String
        /// CDM sectoral scope, 1–15.
        public var scope: Int
        public var programme: Int
        public var year: Int
        public var first: Int64
        public var last: Int64
        public var units: Int64 { last - first + 1 }

        public var description: String { "\(country)-\(unit)-\(scope)-\(programme)-\(year)-0-\(first)-\(last)" }
    }

    public static func undp(_ text: String) -> UNDPSerial? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 8, parts[0].count == 2, parts[0].allSatisfy({ $0.isASCII && $0.isUppercase }),
              UnitName.isValid(parts[1]), let scope = Int(parts[2]), (1...15).contains(scope),
              let programme = Int(parts[3]), let year = Int(parts[4]), (1900...9999).contains(year), parts[5] == "0",
              let first = Int64(parts[6]), let last = Int64(parts[7]), first >= 1, last >= first else { return nil }
        return UNDPSerial(country: parts[0], unit: parts[1], scope: scope, programme: programme, year: year, first: first, last: last)
    }

    /// The serials of a new issuance of `amount` tonnes after the block ending at `previousLast`
    /// (0 for the first): first = previous last + 1, last = first + round(amount) − 1. Nil when
    /// the amount rounds to no unit, is not finite, or would run past the largest serial.
    public static func nextRange(after previousLast: Int64, amount: Double) -> ClosedRange<Int64>? {
        guard amount.isFinite, previousLast >= 0 else { return nil }
        let units = amount.rounded(.toNearestOrAwayFromZero)
        guard units >= 1, units < 9.0e18, previousLast <= Int64.max - Int64(units) else { return nil }
        let first = previousLast + 1
        return first...(first + Int64(units) - 1)
    }
}
