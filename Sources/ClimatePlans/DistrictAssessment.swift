import CarbonKit

/// One year's assessment of the districts: the scheme it used, every district's scores with
/// their evidence, ranks and lights, and how far it has gone (draft → frozen → published).
public struct DistrictAssessment: Sendable, Hashable, Codable {
    public enum State: String, Sendable, Hashable, Codable { case draft, frozen, published }
    public var year: Int
    public var scheme: AssessmentScheme
    public var results: [DistrictResult]
    public var state: State
    public var frozenAt: String?
    public var frozenBy: String?
    public var publishedAt: String?

    public init(year: Int, scheme: AssessmentScheme, results: [DistrictResult], state: State, frozenAt: String? = nil, frozenBy: String? = nil, publishedAt: String? = nil) {
        self.year = year
        self.scheme = scheme
        self.results = results
        self.state = state
        self.frozenAt = frozenAt
        self.frozenBy = frozenBy
        self.publishedAt = publishedAt
    }
}

/// Why an assessment step cannot be taken.
public enum AssessmentError: Error, Sendable, Equatable, CustomStringConvertible {
    case frozen(year: Int)
    case notRun(year: Int)
    case notFrozen(year: Int)

    public var description: String {
        switch self {
        case .frozen(let year): "the \(year) assessment is frozen: its results can no longer change"
        case .notRun(let year): "there is no assessment of \(year)"
        case .notFrozen(let year): "the \(year) assessment must be frozen before it is published"
        }
    }
}
