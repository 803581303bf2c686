import Foundation

/// Zhejiang's carbon-efficiency grade (碳效码): an enterprise's intensity (t CO2 per 10,000 CNY of
/// value added) against its industry's mean, `K = L / mean L`, graded 1 (far better than the
/// industry) to 5 (far worse) by upper bounds held as data (`Resources/carbon-efficiency.json`),
/// each bound inclusive.
public struct CarbonEfficiencyGrade: Sendable {
    public struct Rules: Sendable, Decodable {
        struct IndustryMean: Sendable, Decodable { var minimum_enterprises: Int }
        struct Levels: Sendable, Decodable { var low: Double; var medium: Double }
        public var source: String
        var grade_upper_bounds: [Double]
        var level_upper_bounds: Levels
        var industry_mean: IndustryMean
        var supervision_grades: [Int]
    }

    /// The fewest enterprises an industry needs in the city for its mean to grade against.
    public var minimumEnterprises: Int { rules.industry_mean.minimum_enterprises }
    /// Grades the city supervises closely (retrofit help, inspection).
    public var supervisionGrades: Set<Int> { Set(rules.supervision_grades) }

    /// An intensity's carbon-efficiency level: low-carbon, medium or high-carbon.
    public enum Level: String, Sendable, Codable { case low, medium, high }
    public func level(intensity: Double) -> Level {
        intensity <= rules.level_upper_bounds.low ? .low : intensity <= rules.level_upper_bounds.medium ? .medium : .high
    }
    public let rules: Rules

    public init(rules: Rules) { self.rules = rules }

    public static let standard: CarbonEfficiencyGrade = {
        let rules = ReferenceData.load("carbon-efficiency", as: Rules.self)
        return CarbonEfficiencyGrade(rules: rules)
    }()

    /// The grade of an enterprise whose intensity is `intensity` in an industry whose mean is
    /// `industryMean`; nil when either is not a positive finite number (no grade can be given).
    public func grade(intensity: Double, industryMean: Double) -> Int? {
        guard intensity.isFinite, industryMean.isFinite, intensity >= 0, industryMean > 0 else { return nil }
        let k = intensity / industryMean
        // A ratio within a rounding error of a bound is on it: 0.6 / 1.0 computed as 0.6000000001 is grade 1.
        return (rules.grade_upper_bounds.firstIndex { k <= $0 * (1 + 1e-12) } ?? rules.grade_upper_bounds.count) + 1
    }
}
