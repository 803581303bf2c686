import CarbonKit

/// The annual assessment (考核) of districts: each scored on weighted components, ranked,
/// given a traffic light, with the evidence behind every score kept beside it.
public struct AssessmentScheme: Sendable, Hashable, Codable {
    public struct Component: Sendable, Hashable, Codable {
        /// `indicators`, `actions`, `data_quality` … any name the office uses.
        public var identifier: String
        public var name: Multilingual
        public var weight: Double

        public init(identifier: String, name: Multilingual, weight: Double) {
            self.identifier = identifier
            self.name = name
            self.weight = weight
        }
    }

    public var components: [Component]
    /// A total at or above `green` is green, at or above `amber` amber, below it red.
    public var green: Double
    public var amber: Double

    public init(components: [Component], green: Double = 80, amber: Double = 60) {
        self.components = components
        self.green = green
        self.amber = amber
    }

    public func validate() throws(InputErrors) {
        var issues: [InputIssue] = []
        if components.isEmpty { issues.append(InputIssue(InputLocation(field: "components"), reason: "a scheme needs at least one component")) }
        for c in components where !(c.weight > 0) || !c.weight.isFinite {
            issues.append(InputIssue(InputLocation(field: "weight"), value: "\(c.identifier): \(c.weight)", reason: "must be more than zero"))
        }
        if Set(components.map(\.identifier)).count != components.count {
            issues.append(InputIssue(InputLocation(field: "components"), reason: "a component is named twice"))
        }
        if !(amber < green) { issues.append(InputIssue(InputLocation(field: "amber"), value: String(amber), reason: "must be below green (\(green))")) }
        if !issues.isEmpty { throw InputErrors(issues) }
    }
}

/// One component's score of one district, 0–100, and why.
public struct ComponentScore: Sendable, Hashable, Codable {
    public var component: String
    public var score: Double
    public var evidence: [String]
    /// The evidence when the platform wrote it, for pages in any language; `evidence` holds its English.
    public var evidencePhrases: [Phrase]?

    public init(component: String, score: Double, evidence: [String] = []) {
        self.component = component
        self.score = score
        self.evidence = evidence
    }

    /// A score whose evidence the platform wrote.
    public init(component: String, score: Double, phrases: [Phrase]) {
        self.init(component: component, score: score, evidence: phrases.map(\.english))
        evidencePhrases = phrases
    }
}

public struct DistrictResult: Sendable, Hashable, Codable {
    public enum Light: String, Sendable, Hashable, Codable { case green, amber, red }
    public var jurisdiction: String
    public var scores: [ComponentScore]
    public var total: Double
    public var rank: Int
    public var light: Light
}

public enum Assessment {
    /// Scores every district; equal totals share a rank (1, 2, 2, 4). Every component of the
    /// scheme must be scored for every district, between 0 and 100.
    public static func run(_ scheme: AssessmentScheme, scores: [String: [ComponentScore]]) throws(InputErrors) -> [DistrictResult] {
        try scheme.validate()
        var issues: [InputIssue] = []
        var unranked: [(String, [ComponentScore], Double)] = []
        let weightSum = scheme.components.reduce(0) { $0 + $1.weight }
        for (district, list) in scores.sorted(by: { $0.key < $1.key }) {
            var total = 0.0
            for component in scheme.components {
                guard let score = list.first(where: { $0.component == component.identifier }) else {
                    issues.append(InputIssue(InputLocation(field: component.identifier), value: district, reason: "has no score")); continue
                }
                guard (0...100).contains(score.score) else {
                    issues.append(InputIssue(InputLocation(field: component.identifier), value: "\(district): \(score.score)", reason: "must be from 0 to 100")); continue
                }
                total += score.score * component.weight / weightSum
            }
            unranked.append((district, list, total))
        }
        if !issues.isEmpty { throw InputErrors(issues) }
        let ordered = unranked.sorted { ($1.2, $0.0) < ($0.2, $1.0) }
        var results: [DistrictResult] = []
        for (i, entry) in ordered.enumerated() {
            let rank = i > 0 && abs(ordered[i - 1].2 - entry.2) < 1e-9 ? results[i - 1].rank : i + 1
            let light: DistrictResult.Light = entry.2 >= scheme.green ? .green : entry.2 >= scheme.amber ? .amber : .red
            results.append(DistrictResult(jurisdiction: entry.0, scores: entry.1, total: entry.2, rank: rank, light: light))
        }
        return results
    }
}

/// Scores the platform computes from its own data, so the same facts are never typed twice;
/// every score carries the sentence that explains it.
public enum AssessmentEvidence {
    /// The component identifiers scored from data when a scheme names them.
    public static let targetComponent = "emissions_target"
    public static let dataQualityComponent = "data_quality"

    /// A district's emissions against the straight path from its base-year emissions to its
    /// allocated target level: 100 on or below the path, otherwise 100 × path ÷ actual.
    public static func targetScore(district: String, year: Int, actual: Double, base: Double, baseYear: Int, part: Double, targetYear: Int) -> ComponentScore {
        let progress = Double(year - baseYear) / Double(targetYear - baseYear)
        let path = base + (part - base) * min(1, max(0, progress))
        let score = actual <= path ? 100 : max(0, 100 * path / actual)
        let q = { (x: Double) in Phrase.quantity(x, decimals: 0) }
        let arguments: [String: Phrase] = ["district": .literal(district), "year": .number(year), "actual": q(actual), "path": q(path),
                                           "base": q(base), "baseYear": .number(baseYear), "part": q(part), "targetYear": .number(targetYear)]
        let english = "\(district) \(year): \(q(actual).english) t CO2e against \(q(path).english) t on the straight path from \(q(base).english) t in \(baseYear) "
            + "to its allocated \(q(part).english) t in \(targetYear)"
        return ComponentScore(component: targetComponent, score: score, phrases: [Phrase(key: "evidence.target", arguments: arguments, english: english)])
    }

    /// The share of a district's activity rows of the year whose activity data is of high
    /// quality, with medium counting half (GPC's H/M/L data-quality ratings).
    public static func dataQualityScore(district: String, year: Int, high: Int, medium: Int, low: Int, unrated: Int) -> ComponentScore {
        let rows = high + medium + low + unrated
        let score = rows == 0 ? 0 : 100 * (Double(high) + 0.5 * Double(medium)) / Double(rows)
        let phrase = rows == 0
            ? Phrase(key: "evidence.noActivity", arguments: ["district": .literal(district), "year": .number(year)], english: "\(district) \(year): no activity data")
            : Phrase(key: "evidence.quality", arguments: ["district": .literal(district), "year": .number(year), "rows": .number(rows), "high": .number(high),
                                                          "medium": .number(medium), "low": .number(low), "unrated": .number(unrated)],
                     english: "\(district) \(year): \(rows) activity rows, \(high) rated high, \(medium) medium, \(low) low, \(unrated) unrated")
        return ComponentScore(component: dataQualityComponent, score: score, phrases: [phrase])
    }
}
