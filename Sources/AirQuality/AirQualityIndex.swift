import Foundation

/// One pollutant's sub-index (IAQI): `I = (I_hi − I_lo)/(C_hi − C_lo) · (C − C_lo) + I_lo` on the
/// segment holding the concentration, rounded as the standard says.
public struct SubIndex: Sendable, Equatable {
    /// The table asked for, e.g. `so2_1h`.
    public var table: String
    /// The table the index came from: another one when the standard says so above its last
    /// segment (HJ 633: SO2 1-hour above 800 µg/m³ uses the 24-hour table).
    public var usedTable: String
    public var concentration: Double
    public var value: Int
    /// The concentration is above the table's last breakpoint: the value is the top of the scale.
    public var beyondScale: Bool
}

/// Why a concentration has no sub-index.
public enum SubIndexRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownTable(String, standard: String)
    case notANumber(table: String)
    case negative(table: String, value: Double)
    /// Below the table's first segment (US 1-hour O3 starts at 0.125 ppm; lower values are indexed by the 8-hour table).
    case belowTable(table: String, value: Double, first: Double)
    /// Above the last segment with a fallback table whose concentration was not given.
    case needs(table: String, fallback: String, reason: String)

    public var description: String {
        switch self {
        case let .unknownTable(table, standard): "\(standard) has no table \(table)"
        case let .notANumber(table): "\(table): the concentration is not a number"
        case let .negative(table, value): "\(table): \(value) is negative"
        case let .belowTable(table, value, first): "\(table): \(value) is below the table, which starts at \(first)"
        case let .needs(table, fallback, reason): "\(table): \(reason) (give \(fallback))"
        }
    }
}

/// The index of a set of concentrations: the highest sub-index, its category, and the primary
/// pollutants (every one reaching the index, only when it is above the standard's threshold).
public struct AirQualityIndex: Sendable, Equatable {
    public var standard: String
    public var value: Int
    public var category: AQIStandard.Category
    public var primary: [String]
    public var subIndices: [SubIndex]
    /// Concentrations that gave no sub-index, with the reason.
    public var skipped: [String: SubIndexRefusal]

    public enum Kind: String, Sendable, CaseIterable {
        /// Hourly: HJ 633's 1-hour gases with the 24-hour moving PM means.
        case realtime
        /// Daily: 24-hour means, the maximum 8-hour O3.
        case daily
    }

    /// The sub-index of `concentration` in `table`, falling back as the standard says when it is
    /// above the table; `others` holds the concentrations a fallback may need.
    public static func subIndex(_ table: String, _ concentration: Double, standard: AQIStandard,
                                others: [String: Double] = [:]) -> Result<SubIndex, SubIndexRefusal> {
        guard let breakpoints = standard.tables[table] else { return .failure(.unknownTable(table, standard: standard.id)) }
        guard concentration.isFinite else { return .failure(.notANumber(table: table)) }
        guard concentration >= 0 else { return .failure(.negative(table: table, value: concentration)) }
        let c = truncated(concentration, decimals: standard.concentration_decimals[table])
        guard let first = breakpoints.segments.first, let last = breakpoints.segments.last else {
            return .failure(.unknownTable(table, standard: standard.id))
        }
        if c > last.c_hi {
            if let fallback = breakpoints.above {
                guard let other = others[fallback.use] else {
                    return .failure(.needs(table: table, fallback: fallback.use, reason: fallback.reason))
                }
                return subIndex(fallback.use, other, standard: standard).map { found in
                    SubIndex(table: table, usedTable: found.usedTable, concentration: c, value: found.value, beyondScale: found.beyondScale)
                }
            }
            return .success(SubIndex(table: table, usedTable: table, concentration: c, value: Int(last.i_hi), beyondScale: true))
        }
        if c < first.c_lo { return .failure(.belowTable(table: table, value: c, first: first.c_lo)) }
        // The first segment holding c; at a shared edge (HJ 633's continuous tables) the lower one,
        // which gives the edge's own index value either way.
        let segment = breakpoints.segments.first { c <= $0.c_hi && c >= $0.c_lo }
            ?? breakpoints.segments.first { c <= $0.c_hi }!
        let exact = (segment.i_hi - segment.i_lo) / (segment.c_hi - segment.c_lo) * (max(c, segment.c_lo) - segment.c_lo) + segment.i_lo
        return .success(SubIndex(table: table, usedTable: table, concentration: c, value: rounded(exact, standard.index_rounding),
                                 beyondScale: false))
    }

    /// The index of `concentrations` (by table name) under `standard`. Tables the kind does not
    /// use are ignored; a concentration that has no sub-index is reported in `skipped`.
    /// Nil when no concentration gives a sub-index.
    public static func compute(_ concentrations: [String: Double], standard: AQIStandard, kind: Kind) -> AirQualityIndex? {
        let tables = kind == .realtime ? standard.realtime : standard.daily
        var subIndices: [SubIndex] = []
        var skipped: [String: SubIndexRefusal] = [:]
        for table in tables {
            guard let concentration = concentrations[table] else { continue }
            switch subIndex(table, concentration, standard: standard, others: concentrations) {
            case let .success(found): subIndices.append(found)
            // Below the 1-hour O3 table, the 8-hour one indexes it: nothing is wrong.
            case .failure(.belowTable): continue
            case let .failure(refusal): skipped[table] = refusal
            }
        }
        guard let top = subIndices.map(\.value).max() else { return nil }
        let primary = top > standard.primary_above
            ? Array(Set(subIndices.filter { $0.value == top }.map { pollutant(of: $0.table) })).sorted()
            : []
        return AirQualityIndex(standard: standard.id, value: top, category: standard.category(of: top), primary: primary,
                               subIndices: subIndices, skipped: skipped)
    }

    /// The pollutant of a table name: `pm25_24h` → `pm25`.
    public static func pollutant(of table: String) -> String { String(table.prefix { $0 != "_" }) }

    /// Truncates (never rounds) to `decimals` places, as the US EPA says; a binary fraction just
    /// below a decimal (11.9 stored as 11.8999…) is taken as that decimal.
    static func truncated(_ value: Double, decimals: Int?) -> Double {
        guard let decimals else { return value }
        let scale = pow(10, Double(decimals))
        return (value * scale + 1e-7).rounded(.down) / scale
    }

    static func rounded(_ value: Double, _ rule: AQIStandard.Rounding) -> Int {
        switch rule {
        // 80.000000001 from binary arithmetic is 80, not 81.
        case .up: Int((value - 1e-9).rounded(.up))
        case .nearest: Int(value.rounded(.toNearestOrAwayFromZero))
        }
    }
}
