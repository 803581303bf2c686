import CarbonKit

/// A low-carbon pilot (低碳试点): a county, a township or street, a community or village, a
/// park, an enterprise, a public building … with its targets and its lifecycle, from
/// application to summary evaluation, or to elimination when it fails its rectification.
public struct Pilot: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case county, township, community, park, enterprise, publicBuilding = "public_building", school, other
    }

    public enum Stage: String, Sendable, Hashable, Codable, CaseIterable {
        case applied, approved, monitoring
        case midTermEvaluated = "mid_term_evaluated"
        case rectification
        case summaryEvaluated = "summary_evaluated"
        case eliminated
        case rejected
    }

    /// One step of the lifecycle, with when and why.
    public struct Event: Sendable, Hashable, Codable {
        public var stage: Stage
        public var on: Day
        public var note: String?
        /// A monitoring or evaluation result, 0–100, where the step has one.
        public var score: Double?

        public init(stage: Stage, on: Day, note: String? = nil, score: Double? = nil) {
            self.stage = stage
            self.on = on
            self.note = note
            self.score = score
        }
    }

    public var identifier: String
    public var name: Multilingual
    public var kind: Kind
    public var jurisdiction: String
    public var targets: [Target]
    /// What the pilot is about, from its application.
    public var notes: String?
    public private(set) var history: [Event]

    public init(identifier: String, name: Multilingual, kind: Kind, jurisdiction: String, targets: [Target] = [], appliedOn: Day) {
        self.identifier = identifier
        self.name = name
        self.kind = kind
        self.jurisdiction = jurisdiction
        self.targets = targets
        self.history = [Event(stage: .applied, on: appliedOn)]
    }

    public var stage: Stage { history.last!.stage }

    /// The pilot as it stood on `day`: its steps up to then, or nil before it applied.
    public func asOf(_ day: Day) -> Pilot? {
        guard history[0].on <= day else { return nil }
        var pilot = self
        pilot.history = history.filter { $0.on <= day }
        return pilot
    }

    /// Whether the pilot counts toward the plan's goals (approved and not eliminated).
    public var isActive: Bool { [.approved, .monitoring, .midTermEvaluated, .rectification, .summaryEvaluated].contains(stage) }

    /// The steps allowed from each stage: annual monitoring repeats; an evaluation can send
    /// a pilot into rectification, and a failed rectification eliminates it.
    public static let transitions: [Stage: Set<Stage>] = [
        .applied: [.approved, .rejected],
        .approved: [.monitoring],
        .monitoring: [.monitoring, .midTermEvaluated, .summaryEvaluated, .rectification],
        .midTermEvaluated: [.monitoring, .rectification, .summaryEvaluated],
        .rectification: [.monitoring, .eliminated],
        .summaryEvaluated: [],
        .eliminated: [],
        .rejected: [],
    ]

    /// Moves the pilot on, or refuses a step the lifecycle does not allow or a date before the last step.
    public mutating func advance(to next: Stage, on day: Day, note: String? = nil, score: Double? = nil) throws(InputErrors) {
        var issues: [InputIssue] = []
        if !(Self.transitions[stage]?.contains(next) ?? false) {
            let allowed = (Self.transitions[stage] ?? []).map(\.rawValue).sorted().joined(separator: ", ")
            issues.append(InputIssue(InputLocation(field: "stage"), value: next.rawValue, reason: "cannot follow \(stage.rawValue)",
                                     suggestion: allowed.isEmpty ? "\(stage.rawValue) is final" : "next can be: \(allowed)"))
        }
        if let last = history.last, day < last.on {
            issues.append(InputIssue(InputLocation(field: "date"), value: day.description, reason: "is before the last step (\(last.on))"))
        }
        if let score, !(0...100).contains(score) {
            issues.append(InputIssue(InputLocation(field: "score"), value: String(score), reason: "must be from 0 to 100"))
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        history.append(Event(stage: next, on: day, note: note, score: score))
    }
}

/// The plan's pilot goals (Hangzhou: 3–5 counties, 10 townships, 50 communities) against the active pilots.
public struct PilotGoal: Sendable, Hashable, Codable {
    public var kind: Pilot.Kind
    public var minimum: Int
    public var maximum: Int?

    public init(kind: Pilot.Kind, minimum: Int, maximum: Int? = nil) {
        self.kind = kind
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Active pilots of this kind, and whether the count is within the goal.
    public func count(in pilots: [Pilot]) -> (active: Int, met: Bool) {
        let active = pilots.filter { $0.kind == kind && $0.isActive }.count
        return (active, active >= minimum && maximum.map { active <= $0 } ?? true)
    }
}
