/// GPC notation keys: why a row has no number. A keyed row counts zero in every total but
/// is stored, shown and exported with its explanation.
public enum NotationKey: String, Sendable, Codable, CaseIterable {
    /// Not occurring: the activity does not happen in the city.
    case notOccurring = "NO"
    /// Included elsewhere: the emissions are in another row, which must be named (`ie_ref`).
    case includedElsewhere = "IE"
    /// Not estimated: emissions occur but were not estimated.
    case notEstimated = "NE"
    /// Confidential: reporting would disclose confidential information.
    case confidential = "C"

    public var explanation: String {
        switch self {
        case .notOccurring: "not occurring"
        case .includedElsewhere: "included elsewhere"
        case .notEstimated: "not estimated"
        case .confidential: "confidential"
        }
    }
}

/// GPC data-quality rating of activity data or of an emission factor (GPC 1.1 Ch. 5).
public enum DataQuality: String, Sendable, Codable, CaseIterable, Comparable {
    /// Detailed activity data; specific emission factors.
    case high = "H"
    /// Modelled activity data using robust assumptions; more general factors.
    case medium = "M"
    /// Highly modelled or uncertain activity data; default factors.
    case low = "L"

    var rank: Int {
        switch self {
        case .low: 1
        case .medium: 2
        case .high: 3
        }
    }

    public static func < (a: DataQuality, b: DataQuality) -> Bool { a.rank < b.rank }
}
